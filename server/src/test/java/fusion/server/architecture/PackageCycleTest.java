package fusion.server.architecture;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Dependencies point one way: no cycle between any two of Fusion's packages, across every module
 * the server puts on its class path (core, store, decisions, analytics, models and the server
 * itself). Maven already refuses cycles between modules; this refuses them between packages.
 */
class PackageCycleTest {

    private static final JavaClasses FUSION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("-tests.jar")) // store's test jar
            .importPackages("fusion");

    @Test
    @DisplayName("no package of Fusion depends, through any chain, on a package that depends on it")
    void packagesAreFreeOfCycles() {
        // an import that found nothing would pass any rule: it holds the packages of every module
        assertThat(FUSION.stream()
                        .map(c -> c.getPackageName().replaceFirst("^fusion\\.([^.]+).*$", "$1"))
                        .distinct())
                .contains("core", "store", "decisions", "analytics", "models", "server");
        slices().matching("fusion.(**)").should().beFreeOfCycles().check(FUSION);
    }
}
