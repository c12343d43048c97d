package pm.vm.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import pm.vm.Bundle;
import pm.vm.ChannelException;
import pm.vm.Delivery;
import pm.vm.Engine;
import pm.vm.VisitHistory;

/**
 * The Java half of {@code benches/jni_overhead.rs}: the engine loops of that benchmark, run
 * through the Java binding with the same batches, warm-up and median, so the two medians
 * differ only by the cost of crossing JNI (and the binding's lock and objects).
 *
 * <p>Time is the thread's CPU time ({@link ThreadMXBean#getCurrentThreadCpuTime}, which reads
 * {@code CLOCK_THREAD_CPUTIME_ID} as the Rust half does).
 *
 * <p>Usage: {@code JniOverhead BUNDLE.pmb CHANNEL SCREEN_BATCH ADVANCE_BATCH WARMUP RUNS START_MS CONTEXT…}, each
 * {@code CONTEXT} being {@code NAME|URL|TITLE|LANGUAGE|returning-or-new}. Prints one line per
 * routine and context: {@code ROUTINE<TAB>CONTEXT<TAB>MEDIAN_NS_PER_ITERATION<TAB>CHECKSUM}, the
 * checksum (deliveries or iterations over every batch) showing both halves did the same work.
 */
public final class JniOverhead {
    private JniOverhead() {}

    /** One benchmarked loop over a fresh engine: returns a checksum so the work is not dead. */
    interface Routine {
        long run(Engine engine, long start, int iterations);
    }

    public static void main(String[] args) throws Exception {
        byte[] bytes = Files.readAllBytes(Paths.get(args[0]));
        String channel = args[1];
        int screenBatch = Integer.parseInt(args[2]);
        int advanceBatch = Integer.parseInt(args[3]);
        int warmup = Integer.parseInt(args[4]);
        int runs = Integer.parseInt(args[5]);
        long start = Long.parseLong(args[6]);
        try (Bundle bundle = Bundle.load(bytes)) {
            for (int c = 7; c < args.length; c++) {
                String[] context = args[c].split("\\|", -1);
                String url = context[1];
                String title = context[2];
                // A screen change: the page opens, its dwell check runs, deliveries are taken.
                Routine screen = (engine, now, iterations) -> {
                    long sum = 0;
                    for (int i = 0; i < iterations; i++) {
                        engine.screenOpen(now, url, title);
                        engine.advanceTo(now + 5_000);
                        List<Delivery> deliveries = engine.takeDeliveries();
                        sum += deliveries.size();
                        now += 10_000;
                    }
                    return sum;
                };
                // One crossing that does almost nothing on the Rust side: no check is pending.
                Routine advance = (engine, now, iterations) -> {
                    for (int i = 0; i < iterations; i++) {
                        engine.advanceTo(now + i);
                    }
                    return iterations;
                };
                report("screen", context, measure(bundle, channel, context, screen, start, screenBatch, warmup, runs));
                report("advance", context, measure(bundle, channel, context, advance, start, advanceBatch, warmup, runs));
            }
        }
    }

    private static void report(String routine, String[] context, String measured) {
        System.out.println(routine + "\t" + context[0] + "\t" + measured);
    }

    /**
     * The median over {@code runs} batches (after {@code warmup}) of CPU nanoseconds per
     * iteration, a tab, and the checksum over every batch.
     */
    private static String measure(
            Bundle bundle, String channel, String[] context, Routine routine,
            long start, int batch, int warmup, int runs) throws ChannelException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[] perIteration = new double[runs];
        long checksum = 0;
        for (int run = -warmup; run < runs; run++) {
            try (Engine engine = new Engine(bundle, channel)) {
                engine.setLanguage(context[3]);
                engine.appLaunch(start, "returning".equals(context[4]) ? VisitHistory.RETURNING : VisitHistory.NEW);
                long begin = threads.getCurrentThreadCpuTime();
                checksum += routine.run(engine, start, batch);
                long elapsed = threads.getCurrentThreadCpuTime() - begin;
                if (run >= 0) {
                    perIteration[run] = (double) elapsed / batch;
                }
            }
        }
        Arrays.sort(perIteration);
        return perIteration[runs / 2] + "\t" + checksum;
    }
}
