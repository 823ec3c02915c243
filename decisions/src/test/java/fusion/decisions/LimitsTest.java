package fusion.decisions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fusion.core.model.Channel;
import fusion.core.model.InvalidInput;
import java.time.Duration;
import java.time.LocalTime;
import org.junit.jupiter.api.Test;

class LimitsTest {
    @Test
    void aSpecChangesOnlyWhatItNames() {
        DecisionConfig c = Limits.parse("overall=5/P14D, email=2/PT12H, quiet=22:30-07:00");
        assertThat(c.caps().overall()).isEqualTo(new FrequencyCaps.Cap(5, Duration.ofDays(14)));
        assertThat(c.caps().perChannel().get(Channel.EMAIL)).isEqualTo(new FrequencyCaps.Cap(2, Duration.ofHours(12)));
        assertThat(c.caps().perChannel().get(Channel.APP))
                .isEqualTo(DecisionConfig.defaults().caps().perChannel().get(Channel.APP));
        assertThat(c.quietHours()).isEqualTo(new QuietHours(LocalTime.of(22, 30), LocalTime.of(7, 0)));
        assertThat(Limits.parse("quiet=none").quietHours()).isEqualTo(QuietHours.NONE);
        assertThat(Limits.parse("").caps()).isEqualTo(DecisionConfig.defaults().caps());
    }

    @Test
    void aBadPartIsNamed() {
        assertThatThrownBy(() -> Limits.parse("overall=3/P7D, pigeon=1/P1D"))
                .isInstanceOf(InvalidInput.class)
                .hasMessageContaining("limits")
                .hasMessageContaining("pigeon");
        assertThatThrownBy(() -> Limits.parse("email=many/P1D")).hasMessageContaining("whole number");
        assertThatThrownBy(() -> Limits.parse("email=1/weekly")).hasMessageContaining("ISO-8601");
        assertThatThrownBy(() -> Limits.parse("quiet=late")).hasMessageContaining("HH:MM-HH:MM");
    }
}
