package fusion.server.activation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fusion.core.consent.ConsentVerdict;
import fusion.core.model.InvalidInput;
import fusion.server.activation.ActivationService.ExportReport;
import fusion.server.audiences.AudienceService;
import fusion.server.privacy.ConsentService;
import fusion.store.AudienceRecords;
import fusion.store.AudienceRecords.OutboxRow;
import fusion.store.AudienceRecords.OutboxStatus;
import fusion.store.AudienceRecords.Outgoing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A destination's full export: the audience's members with a valid grant for its purpose (the
 * others counted by the verdict's code), enqueued as outbox rows for a webhook or Kafka, or
 * written to a file (CSV, Parquet) with a second file of the streamed events waiting for it.
 * An erasure while selecting or writing ({@code erasures} moved) makes it select and write again,
 * so nothing it leaves names the erased person. The {@link ActivationService} calls it under its
 * own lock, so the dispatcher never runs beside an export.
 */
final class Exports {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final AudienceRecords records;
    private final AudienceService audiences;
    private final ConsentService consent;
    private final AtomicLong erasures;

    Exports(AudienceRecords records, AudienceService audiences, ConsentService consent, AtomicLong erasures) {
        this.records = records;
        this.audiences = audiences;
        this.consent = consent;
        this.erasures = erasures;
    }

    private record Selected(int members, List<String> included, Map<String, Integer> excluded) {}

    private Selected select(Destination d, Instant at) {
        Set<String> members = audiences.members(d.audience());
        List<String> included = new ArrayList<>();
        Map<String, Integer> excluded = new TreeMap<>();
        for (String m : members) {
            ConsentVerdict v = consent.check(m, d.purpose(), d.consentChannel(), at);
            if (v.allowed()) included.add(m);
            else excluded.merge(v.code(), 1, Integer::sum);
        }
        return new Selected(members.size(), included, excluded);
    }

    ExportReport enqueueMembers(Destination d, String exportId, Instant at) {
        long epoch;
        Selected s;
        do { // an erasure while selecting: select again, so no row names the erased person
            epoch = erasures.get();
            s = select(d, at);
            List<Outgoing> rows = new ArrayList<>(s.included().size());
            for (String m : s.included()) {
                String key = ActivationService.key(d.id(), "member", exportId, m);
                rows.add(new Outgoing(
                        key, d.id(), m, "member", at, at, ActivationService.body(key, d, "member", m, at, exportId)));
            }
            records.enqueue(rows);
            if (erasures.get() != epoch)
                records.remove(rows.stream().map(Outgoing::key).toList());
        } while (erasures.get() != epoch);
        return new ExportReport(
                exportId,
                d.id(),
                d.audience(),
                d.kind().label(),
                at,
                s.members(),
                s.included().size(),
                s.excluded(),
                null,
                0,
                Map.of(),
                null);
    }

    ExportReport exportFiles(Destination d, String exportId, Instant at) {
        try {
            Files.createDirectories(d.directory());
        } catch (IOException e) {
            throw new InvalidInput("directory", "cannot create " + d.directory() + ": " + e.getMessage());
        }
        String stem = d.id() + "-" + exportId;
        Path full = d.directory().resolve(stem + "-full" + ExportFiles.extension(d.kind()));
        Path changes = d.directory().resolve(stem + "-changes" + ExportFiles.extension(d.kind()));
        for (int tries = 1; ; tries++) {
            long epoch = erasures.get();
            Selected s = select(d, at);
            List<ExportFiles.Row> rows = new ArrayList<>(s.included().size());
            for (String m : s.included()) rows.add(new ExportFiles.Row(m, d.audience(), "member", at, exportId));
            List<OutboxRow> pending = records.outbox(d.id(), OutboxStatus.PENDING, ActivationService.MAX_FILE_EVENTS);
            List<ExportFiles.Row> events = new ArrayList<>();
            List<String> written = new ArrayList<>();
            Map<String, Integer> eventsExcluded = new TreeMap<>();
            for (OutboxRow r : pending) {
                ConsentVerdict v = consent.check(r.profile(), d.purpose(), d.consentChannel(), at);
                if (!v.allowed()) {
                    eventsExcluded.merge(v.code(), 1, Integer::sum);
                    records.attempted(r.key(), OutboxStatus.WITHHELD, 0, 0, v.code(), at, at);
                    continue;
                }
                events.add(new ExportFiles.Row(r.profile(), d.audience(), r.kind(), r.at(), ""));
                written.add(r.key());
            }
            writeAtomically(d, full, rows);
            if (!events.isEmpty()) writeAtomically(d, changes, events);
            if (erasures.get() == epoch) {
                records.remove(written);
                return new ExportReport(
                        exportId,
                        d.id(),
                        d.audience(),
                        d.kind().label(),
                        at,
                        s.members(),
                        rows.size(),
                        s.excluded(),
                        full.toString(),
                        events.size(),
                        eventsExcluded,
                        events.isEmpty() ? null : changes.toString());
            }
            // an erasure overlapped the writing: write again from what is left (the same names)
            if (tries >= 10) throw new IllegalStateException("erasures kept overlapping the export; try again");
        }
    }

    private static void writeAtomically(Destination d, Path file, List<ExportFiles.Row> rows) {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        try {
            ExportFiles.write(d.kind(), tmp, rows);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the temporary file is named with a dot: it is not an export
            }
            throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    static String toJson(ExportReport r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", r.id());
        n.put("destination", r.destination());
        n.put("audience", r.audience());
        n.put("kind", r.kind());
        n.put("at", r.at().toString());
        n.put("members", r.members());
        n.put("sent", r.sent());
        ObjectNode ex = n.putObject("excluded");
        r.excluded().forEach(ex::put);
        if (r.file() != null) n.put("file", r.file());
        n.put("events", r.events());
        ObjectNode eex = n.putObject("eventsExcluded");
        r.eventsExcluded().forEach(eex::put);
        if (r.eventsFile() != null) n.put("eventsFile", r.eventsFile());
        return n.toString();
    }
}
