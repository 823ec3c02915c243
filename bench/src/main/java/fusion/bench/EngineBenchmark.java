package fusion.bench;

import fusion.core.engine.Engine;
import fusion.core.engine.ModelConfig;
import fusion.core.engine.Relationship;
import fusion.core.engine.StateView;
import fusion.core.engine.Step;
import fusion.core.model.Brand;
import fusion.core.model.Channel;
import fusion.core.model.ContactPoint;
import fusion.core.model.Initiator;
import fusion.core.model.Interaction;
import fusion.core.model.Need;
import fusion.core.model.Outcome;
import fusion.core.model.Politeness;
import fusion.core.model.Purpose;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The full scoring update of one event on one thread: experience, fusion, associations of
 * co-involved parties and, for public negative acts, propagation to associated pairs, with the
 * new states written back into an in-memory state. Events are pre-built (realistic mix: purchases,
 * service, complaints, influencer posts), so the figure is the engine's, not the parser's or the
 * store's.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class EngineBenchmark {
    private static final int EVENTS = 1 << 20;
    private static final String[] BRANDS = {"glitter", "brewline", "rivalwear", "beanhouse", "salmonella"};

    /** Distinct consumers: 1,000 keeps the state hot in cache; 50,000 (about 250,000 pairs) does not. */
    @Param({"1000", "50000"})
    public int consumers;

    private Engine engine;
    private MapState state;
    private Interaction[] events;
    private int next;

    @Setup
    public void setup() {
        engine = new Engine(ModelConfig.defaults());
        state = new MapState();
        events = new Interaction[EVENTS];
        Random r = new Random(42);
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        String[] parties = new String[consumers];
        for (int i = 0; i < consumers; i++) parties[i] = "c" + i;
        for (int i = 0; i < EVENTS; i++) {
            t = t.plusMillis(r.nextInt(20_000));
            events[i] = event(r, i, t, parties);
        }
        for (int i = 0; i < 200_000; i++) {
            state.apply(engine.apply(state, events[i]));
        }
        next = 200_000;
    }

    @Benchmark
    public Step scoreOneEvent() {
        Interaction e = events[next];
        next = (next + 1) & (EVENTS - 1);
        Step s = engine.apply(state, e);
        state.apply(s);
        return s;
    }

    /** Party ids come from a pool, as they would from a dictionary-encoded stream or the store's cache. */
    static Interaction event(Random r, int i, Instant t, String[] parties) {
        String party = r.nextInt(100) == 0 ? "influencer-" + r.nextInt(20) : parties[r.nextInt(parties.length)];
        Brand brand = new Brand(BRANDS[r.nextInt(BRANDS.length)], r.nextInt(5) == 0);
        Purpose purpose = Purpose.values()[r.nextInt(Purpose.values().length)];
        Channel channel = Channel.values()[r.nextInt(Channel.values().length)];
        Outcome.Builder o = Outcome.builder();
        double roll = r.nextDouble();
        if (roll < 0.3) o.need(Need.MET).money(20 + r.nextInt(200));
        else if (roll < 0.4) o.need(Need.FAILED).waitSeconds(r.nextInt(1200)).repeatContacts(r.nextInt(3));
        else if (roll < 0.5) o.wow(true).staff(Politeness.POLITE);
        else if (roll < 0.55)
            o.sentiment(-0.8).reach(10_000 + r.nextInt(1_000_000)).consumer(Politeness.RUDE);
        else if (roll < 0.6) o.sentiment(0.7).reach(r.nextInt(5000));
        List<String> co = r.nextInt(10) == 0 ? List.of(BRANDS[r.nextInt(BRANDS.length)] + "-x") : List.of();
        return new Interaction(
                "e" + i,
                party,
                brand,
                ContactPoint.of(channel),
                purpose,
                r.nextBoolean() ? Initiator.CONSUMER : Initiator.BRAND,
                t,
                o.build(),
                co,
                "");
    }

    /**
     * State keyed by party, each party's pairs in a small array (a party meets a handful of
     * brands), the way a Flink job or the store's cache would hold it.
     */
    static final class MapState implements StateView {
        private final Map<String, Relationship[]> byParty = new HashMap<>();

        @Override
        public Optional<Relationship> relationship(String party, String brand) {
            Relationship[] rs = byParty.get(party);
            if (rs != null) {
                for (Relationship r : rs) {
                    if (r.brand().equals(brand)) return Optional.of(r);
                }
            }
            return Optional.empty();
        }

        @Override
        public List<Relationship> relationshipsOf(String party) {
            Relationship[] rs = byParty.get(party);
            return rs == null ? List.of() : List.of(rs);
        }

        java.util.Set<String> parties() {
            return byParty.keySet();
        }

        void apply(Step s) {
            for (Relationship r : s.relationships()) {
                Relationship[] rs = byParty.get(r.party());
                if (rs == null) {
                    byParty.put(r.party(), new Relationship[] {r});
                    continue;
                }
                int i = 0;
                while (i < rs.length && !rs[i].brand().equals(r.brand())) i++;
                if (i == rs.length) {
                    rs = java.util.Arrays.copyOf(rs, rs.length + 1);
                    byParty.put(r.party(), rs);
                }
                rs[i] = r;
            }
        }
    }
}
