package pm.vm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

/**
 * The Java binding's own behaviour, beyond the scenarios: closed handles throw instead of
 * crashing, refused inputs throw the VM's message, device state survives a restart, a panic on
 * the native side becomes an exception, unclosed handles are released once unreachable, and
 * 100,000 create/close cycles do not grow the process's memory.
 *
 * <p>Usage: {@code BindingTests FIXTURE.json} (written by {@code tests/jvm.rs}: bundle paths,
 * keys, and the VM's expected error messages). Exits 1 at the first failed check, else prints
 * the measured memory figures and {@code N checks passed}.
 */
final class BindingTests {
    /** Bytes that are not a bundle (the fixture holds the VM's message for them). */
    static final byte[] GARBAGE = "not a bundle".getBytes(StandardCharsets.US_ASCII);
    /** Bytes that are not device state. */
    static final byte[] NOT_STATE = "not state".getBytes(StandardCharsets.US_ASCII);
    static final long T0 = 1_795_424_400_000L; // 2026-11-23T09:00:00Z, a Monday

    private static int checks;

    private BindingTests() {}

    /** A call expected to throw. */
    interface Call {
        void run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        Map<String, Object> fixture =
                ScenarioHost.object(Json.parse(new String(Files.readAllBytes(Paths.get(args[0])), StandardCharsets.UTF_8)));
        Map<String, Object> expected = ScenarioHost.object(fixture.get("expected"));
        byte[] scenarioBundle = read(fixture, "scenario_bundle");
        byte[] smallBundle = read(fixture, "small_bundle");

        closedHandlesThrow(scenarioBundle);
        engineOutlivesItsBundle(scenarioBundle);
        refusedInputsCarryTheVmMessage(fixture, expected, scenarioBundle);
        deviceStateSurvivesARestart(scenarioBundle);
        eventsAndDeadlines(scenarioBundle);
        screenTextCrossesIntact(smallBundle);
        aPanicBecomesAnException(scenarioBundle);
        unreachableHandlesAreReleased(smallBundle);
        cyclesDoNotGrowMemory(smallBundle, number(fixture, "cycles"), number(fixture, "rss_limit_kib"));
        System.out.println(checks + " checks passed");
    }

    static void closedHandlesThrow(byte[] bytes) throws Exception {
        Bundle bundle = Bundle.load(bytes);
        Engine engine = new Engine(bundle, "Shop iOS");
        engine.close();
        engine.close();
        Call[] engineCalls = {
            () -> engine.setLanguage("en"),
            () -> engine.appLaunch(T0),
            () -> engine.appLaunch(T0, VisitHistory.NEW),
            () -> engine.screenOpen(T0, "u", "t"),
            () -> engine.messageOpened(T0, 0),
            () -> engine.messageOpened(T0, "Dwell"),
            () -> engine.messageDismissed(T0, 0),
            () -> engine.messageDismissed(T0, "Dwell"),
            () -> engine.conversationStarted(T0),
            () -> engine.conversationEnded(T0),
            () -> engine.setAiResolutions(T0, false),
            () -> engine.setSuppressed(T0, true),
            () -> engine.appQuit(T0),
            () -> engine.advanceTo(T0),
            () -> engine.nextDeadline(),
            () -> engine.takeDeliveries(),
            () -> engine.saveState(),
            () -> engine.restoreState(new byte[0]),
        };
        for (Call call : engineCalls) {
            expectThrows(IllegalStateException.class, "this engine is closed", call);
        }
        bundle.close();
        bundle.close();
        Call[] bundleCalls = {
            () -> bundle.getMessageCount(),
            () -> bundle.getMessage(0),
            () -> bundle.getMessageJson(0),
            () -> bundle.indexOfMessage("Dwell"),
            () -> new Engine(bundle, "Shop iOS"),
        };
        for (Call call : bundleCalls) {
            expectThrows(IllegalStateException.class, "this bundle is closed", call);
        }
    }

    static void engineOutlivesItsBundle(byte[] bytes) throws Exception {
        Bundle bundle = Bundle.load(bytes);
        try (Engine engine = new Engine(bundle, "Shop iOS")) {
            bundle.close();
            engine.setLanguage("en");
            engine.screenOpen(T0, "https://shop.example/dwell", "Dwell");
            engine.advanceTo(T0 + 30_000);
            List<Delivery> deliveries = engine.takeDeliveries();
            check(deliveries.size() == 1, "one delivery after the bundle was closed, got " + deliveries);
            Delivery delivery = deliveries.get(0);
            check(delivery.getTime() == T0 + 30_000, "delivered at the dwell's end: " + delivery);
            check(delivery.getMessage().getName().equals("Dwell"), "the Dwell message: " + delivery);
            check(delivery.getMessage().getSay().length() > 0, "with its text");
            expectThrows(UnsupportedOperationException.class, null, () -> deliveries.clear());
        }
    }

    static void refusedInputsCarryTheVmMessage(
            Map<String, Object> fixture, Map<String, Object> expected, byte[] scenarioBundle) throws Exception {
        String garbage = (String) expected.get("garbage");
        expectThrows(BundleException.class, garbage, () -> Bundle.load(GARBAGE));
        try {
            Bundle.load(GARBAGE);
        } catch (BundleException e) {
            check(!(e instanceof SignatureException), "a malformed bundle is not a signature refusal");
        }
        byte[] trusted = hex((String) fixture.get("trusted_key"));
        byte[] other = hex((String) fixture.get("other_key"));
        byte[] signed = read(fixture, "signed_bundle");
        try (Bundle verified = Bundle.loadVerified(signed, other, trusted);
                Bundle plain = Bundle.load(scenarioBundle)) {
            check(verified.getMessageCount() == plain.getMessageCount(), "the signed bundle has the same messages");
        }
        expectThrows(SignatureException.class, (String) expected.get("unsigned"),
                () -> Bundle.loadVerified(scenarioBundle, trusted));
        expectThrows(SignatureException.class, (String) expected.get("untrusted"),
                () -> Bundle.loadVerified(signed, other));
        expectThrows(SignatureException.class, (String) expected.get("tampered"),
                () -> Bundle.loadVerified(read(fixture, "tampered_bundle"), trusted));
        expectThrows(SignatureException.class, (String) expected.get("no_keys"),
                () -> Bundle.loadVerified(signed));
        expectThrows(IllegalArgumentException.class,
                "trusted key 0 is 31 bytes; an Ed25519 public key is 32",
                () -> Bundle.loadVerified(signed, new byte[31]));
        expectThrows(NullPointerException.class, null, () -> Bundle.load(null));

        try (Bundle bundle = Bundle.load(scenarioBundle)) {
            expectThrows(ChannelException.class, (String) expected.get("unknown_channel"),
                    () -> new Engine(bundle, "Shop Windows"));
            int count = bundle.getMessageCount();
            String range = "message index " + count + " is out of range: the bundle has " + count + " messages";
            expectThrows(IndexOutOfBoundsException.class, range, () -> bundle.getMessage(count));
            expectThrows(IndexOutOfBoundsException.class, range, () -> bundle.getMessageJson(count));
            expectThrows(IndexOutOfBoundsException.class,
                    "message index -1 is out of range: the bundle has " + count + " messages",
                    () -> bundle.getMessage(-1));
            check(bundle.indexOfMessage("No Such Message") == -1, "an unknown name has index -1");
            try (Engine engine = new Engine(bundle, "Shop iOS")) {
                engine.appLaunch(T0);
                byte[] before = engine.saveState();
                expectThrows(StateException.class, (String) expected.get("not_state"),
                        () -> engine.restoreState(NOT_STATE));
                check(java.util.Arrays.equals(before, engine.saveState()), "a refused state leaves the engine unchanged");
                expectThrows(NullPointerException.class, null, () -> engine.screenOpen(T0, null, "t"));
                expectThrows(NullPointerException.class, null, () -> engine.messageOpened(T0, (String) null));
            }
        }
    }

    static void deviceStateSurvivesARestart(byte[] bytes) throws Exception {
        try (Bundle bundle = Bundle.load(bytes)) {
            byte[] state;
            try (Engine first = newEngine(bundle)) {
                first.appLaunch(T0);
                check(open(first, 1, "/device-once").equals("[Device Once]"), "shown on the first visit");
                first.appQuit(T0 + 2_000);
                first.appLaunch(T0 + 3_000);
                check(open(first, 4, "/device-once").equals("[]"), "not shown again on the device");
                state = first.saveState();
            }
            try (Engine restored = newEngine(bundle)) {
                restored.restoreState(state);
                restored.appLaunch(T0 + 100_000);
                check(open(restored, 101, "/device-once").equals("[]"), "not shown after a restart with the state");
                check(open(restored, 102, "/visit-once").equals("[Visit Once]"), "once_per_visit is not device state");
                restored.messageDismissed(T0 + 103_000, "Visit Once");
                check(open(restored, 104, "/welcome").equals("[Welcome Back]"), "the saved visit count makes it returning");
            }
            try (Engine forgetful = newEngine(bundle)) {
                forgetful.appLaunch(T0 + 100_000);
                check(open(forgetful, 101, "/device-once").equals("[Device Once]"), "shown again without the state");
            }
        }
    }

    static void eventsAndDeadlines(byte[] bytes) throws Exception {
        try (Bundle bundle = Bundle.load(bytes); Engine engine = newEngine(bundle)) {
            check(!engine.nextDeadline().isPresent(), "no deadline before any screen");
            check(engine.takeDeliveries().isEmpty(), "no delivery before any event");
            engine.screenOpen(T0, "https://shop.example/dwell", "Dwell");
            check(engine.nextDeadline().isPresent(), "a screen schedules checks");
            engine.advanceTo(T0 + 29_999);
            check(engine.takeDeliveries().isEmpty(), "nothing before the dwell ends");
            check(engine.nextDeadline().getAsLong() == T0 + 30_000, "the dwell check is next: " + engine.nextDeadline());
            engine.advanceTo(T0 + 30_000);
            List<Delivery> deliveries = engine.takeDeliveries();
            check(deliveries.size() == 1, "the dwell check delivers");
            int index = deliveries.get(0).getMessageIndex();
            check(index == bundle.indexOfMessage("Dwell"), "the delivery carries the bundle index");
            check(deliveries.get(0).getMessage().equals(bundle.getMessage(index)), "and the bundle's content");
            // Opening a message the bundle lacks changes nothing (and does not throw).
            engine.messageOpened(T0 + 31_000, "No Such Message");
            engine.messageOpened(T0 + 31_000, 10_000);
            engine.screenOpen(T0 + 32_000, "https://shop.example/dwell", "Dwell");
            engine.advanceTo(T0 + 62_000);
            check(engine.takeDeliveries().isEmpty(), "still displayed: nothing is delivered");
            engine.messageOpened(T0 + 63_000, index);
            engine.screenOpen(T0 + 64_000, "https://shop.example/dwell", "Dwell");
            engine.advanceTo(T0 + 94_000);
            check(engine.takeDeliveries().size() == 1, "every_time: delivered again once opened");
        }
    }

    /** Characters beyond the BMP (surrogate pairs in Java) reach the conditions intact. */
    static void screenTextCrossesIntact(byte[] small) throws Exception {
        try (Bundle bundle = Bundle.load(small); Engine engine = new Engine(bundle, "Shop iOS")) {
            engine.screenOpen(T0, "https://shop.example/robot", "Le 𝄞 🤖 ici");
            engine.advanceTo(T0);
            List<Delivery> deliveries = engine.takeDeliveries();
            check(deliveries.size() == 1 && deliveries.get(0).getMessage().getName().equals("Robot 🤖"),
                    "a title holding the needle's emoji matches: " + deliveries);
            engine.messageDismissed(T0 + 1, deliveries.get(0).getMessageIndex());
            engine.screenOpen(T0 + 2, "https://shop.example/robot", "Le \uD834 🤖 ici");
            engine.advanceTo(T0 + 2);
            check(engine.takeDeliveries().isEmpty(), "a lone surrogate is not the clef it starts");
        }
    }

    static void aPanicBecomesAnException(byte[] bytes) throws Exception {
        expectThrows(VmInternalException.class,
                "pm-vm: internal error (a bug in the VM, please report it): the panic probe panicked, as asked",
                PanicProbe::panic);
        expectThrows(VmInternalException.class,
                "pm-vm: internal error (a bug in the VM, please report it): the primitive panic probe panicked, as asked",
                PanicProbe::panicPrimitive);
        // The library is still usable afterwards.
        try (Bundle bundle = Bundle.load(bytes)) {
            check(bundle.getMessageCount() > 0, "the library works after a caught panic");
        }
    }

    static void unreachableHandlesAreReleased(byte[] small) throws Exception {
        NativeHandle.releaseUnreachable();
        int baseline = NativeHandle.liveCount();
        for (int i = 0; i < 1_000; i++) {
            Bundle bundle = Bundle.load(small);
            new Engine(bundle, "Shop iOS");
        }
        check(NativeHandle.liveCount() >= baseline + 1_000, "unclosed handles are live until collected");
        for (int attempt = 0; attempt < 200 && NativeHandle.liveCount() > baseline; attempt++) {
            System.gc();
            Thread.sleep(10);
            NativeHandle.releaseUnreachable();
        }
        check(NativeHandle.liveCount() == baseline,
                "unreachable handles are released: " + (NativeHandle.liveCount() - baseline) + " left");
    }

    static void cyclesDoNotGrowMemory(byte[] small, long cycles, long limitKib) throws Exception {
        NativeHandle.releaseUnreachable();
        int baseline = NativeHandle.liveCount();
        // Warm-up: the JIT compiles the loop and the allocator reaches its steady state.
        createAndClose(small, cycles / 10);
        System.gc();
        long before = rssKib();
        createAndClose(small, cycles);
        System.gc();
        long after = rssKib();
        System.out.println("rss: " + before + " KiB before, " + after + " KiB after " + cycles
                + " bundle+engine create/close cycles (growth " + (after - before) + " KiB, limit " + limitKib + " KiB)");
        check(after - before <= limitKib, "memory grew by " + (after - before) + " KiB over " + cycles + " cycles");
        check(NativeHandle.liveCount() == baseline, "every handle was released");
    }

    /** {@code cycles} times: load a bundle, run an engine over it through a delivery, close both. */
    private static void createAndClose(byte[] small, long cycles) throws Exception {
        for (long i = 0; i < cycles; i++) {
            try (Bundle bundle = Bundle.load(small); Engine engine = new Engine(bundle, "Shop iOS")) {
                engine.setLanguage("fr");
                engine.screenOpen(T0, "https://shop.example/", "Accueil");
                engine.advanceTo(T0 + 60_000);
                if (engine.takeDeliveries().size() != 1) {
                    throw new AssertionError("cycle " + i + ": the small bundle delivers once");
                }
                engine.saveState();
            }
        }
    }

    /** The resident set size of this process, from {@code /proc/self/status}. */
    private static long rssKib() throws IOException {
        for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS line in /proc/self/status");
    }

    private static Engine newEngine(Bundle bundle) throws ChannelException {
        Engine engine = new Engine(bundle, "Shop iOS");
        engine.setLanguage("en");
        return engine;
    }

    /** Opens {@code path} at second {@code second} and returns the names delivered when its check is due. */
    private static String open(Engine engine, long second, String path) {
        long now = T0 + second * 1_000;
        engine.screenOpen(now, "https://shop.example" + path, path);
        engine.advanceTo(now);
        StringBuilder names = new StringBuilder("[");
        for (Delivery delivery : engine.takeDeliveries()) {
            names.append(names.length() > 1 ? ", " : "").append(delivery.getMessage().getName());
        }
        return names.append(']').toString();
    }

    static void check(boolean condition, String what) {
        checks++;
        if (!condition) {
            throw new AssertionError("check failed: " + what);
        }
    }

    /** Runs {@code call}, which must throw {@code type} with exactly {@code message} (unless null). */
    static void expectThrows(Class<? extends Throwable> type, String message, Call call) {
        try {
            call.run();
        } catch (Throwable thrown) {
            check(type.isInstance(thrown), "expected " + type.getName() + ", got " + thrown);
            check(message == null || message.equals(thrown.getMessage()),
                    "expected the message \"" + message + "\", got \"" + thrown.getMessage() + "\"");
            return;
        }
        check(false, "expected " + type.getName() + ", nothing was thrown");
    }

    private static byte[] read(Map<String, Object> fixture, String key) throws IOException {
        return Files.readAllBytes(Paths.get((String) fixture.get(key)));
    }

    private static long number(Map<String, Object> fixture, String key) {
        return ((Double) fixture.get(key)).longValue();
    }

    private static byte[] hex(String text) {
        byte[] bytes = new byte[text.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(text.substring(2 * i, 2 * i + 2), 16);
        }
        return bytes;
    }
}
