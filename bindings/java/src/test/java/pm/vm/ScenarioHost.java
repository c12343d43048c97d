package pm.vm;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * Plays the host for scenario files (SPEC §5) through the Java API, the way an Android SDK
 * would: one engine per scenario, each event reported at {@code start + t}, then
 * {@code advanceTo(start + until)} and the deliveries.
 *
 * <p>Usage: {@code ScenarioHost BUNDLE.pmb SCENARIO.json…}. Prints one line per scenario,
 * {@code FILE_NAME<TAB>{"deliveries":[{"t":…,"message":"…"}]}}, in the shape of
 * {@code pmc simulate --format json}. An event type this host does not know fails the run.
 */
final class ScenarioHost {
    private ScenarioHost() {}

    public static void main(String[] args) throws Exception {
        try (Bundle bundle = Bundle.load(Files.readAllBytes(Paths.get(args[0])))) {
            for (int i = 1; i < args.length; i++) {
                Path path = Paths.get(args[i]);
                String text = new String(Files.readAllBytes(path), StandardCharsets.UTF_8);
                System.out.println(path.getFileName() + "\t" + run(bundle, object(Json.parse(text))));
            }
        }
    }

    /** The deliveries of one scenario as {@code pmc simulate --format json} writes them. */
    static String run(Bundle bundle, Map<String, Object> scenario) throws VmException {
        long start = OffsetDateTime.parse((String) scenario.get("start")).toInstant().toEpochMilli();
        List<Object> events = list(scenario.get("events"));
        long until = scenario.containsKey("until")
                ? millis(scenario.get("until"))
                : events.isEmpty() ? 0 : millis(object(events.get(events.size() - 1)).get("t"));
        StringBuilder out = new StringBuilder("{\"deliveries\":[");
        try (Engine engine = new Engine(bundle, (String) scenario.get("channel"))) {
            engine.setLanguage((String) object(scenario.get("device")).get("language"));
            Object app = scenario.get("app");
            if (app != null) {
                setAppVersion(engine, object(app).get("version"));
                setAppBuild(engine, object(app).get("build"));
            }
            if (Boolean.FALSE.equals(scenario.get("ai_resolutions_available"))) {
                engine.setAiResolutions(start, false);
            }
            for (Object item : events) {
                Map<String, Object> event = object(item);
                long t = millis(event.get("t"));
                // Checks due after `until` never happen: later events are not reported.
                if (t > until) {
                    break;
                }
                report(engine, start + t, event);
            }
            engine.advanceTo(start + until);
            String separator = "";
            for (Delivery delivery : engine.takeDeliveries()) {
                out.append(separator)
                        .append("{\"t\":")
                        .append(seconds(delivery.getTime() - start))
                        .append(",\"message\":")
                        .append(Json.quote(delivery.getMessage().getName()))
                        .append('}');
                separator = ",";
            }
        }
        return out.append("]}").toString();
    }

    /** Reports one scenario event to the engine at {@code now}. */
    private static void report(Engine engine, long now, Map<String, Object> event) {
        String type = (String) event.get("type");
        switch (type) {
            case "app_launch":
                Object history = event.get("visit_history");
                if (history == null) {
                    engine.appLaunch(now);
                } else {
                    engine.appLaunch(now, "new".equals(history) ? VisitHistory.NEW : VisitHistory.RETURNING);
                }
                break;
            case "screen_open":
                engine.screenOpen(now, text(event, "url"), text(event, "title"));
                break;
            case "message_opened":
                engine.messageOpened(now, (String) event.get("message"));
                break;
            case "message_dismissed":
                engine.messageDismissed(now, (String) event.get("message"));
                break;
            case "conversation_started":
                engine.conversationStarted(now);
                break;
            case "conversation_ended":
                engine.conversationEnded(now);
                break;
            case "set_ai_resolutions":
                engine.setAiResolutions(now, (Boolean) event.get("available"));
                break;
            case "set_suppressed":
                engine.setSuppressed(now, (Boolean) event.get("suppressed"));
                break;
            case "set_language":
                // Checks due before the change see the old language (as pmc simulate).
                engine.advanceTo(now - 1);
                engine.setLanguage((String) event.get("language"));
                break;
            case "set_app_version":
                // A context change, like set_language.
                engine.advanceTo(now - 1);
                setAppVersion(engine, event.get("version"));
                break;
            case "set_app_build":
                engine.advanceTo(now - 1);
                setAppBuild(engine, event.get("build"));
                break;
            case "app_quit":
                engine.appQuit(now);
                break;
            default:
                throw new IllegalArgumentException(
                        "scenario event type \"" + type + "\" has no Java binding call yet");
        }
    }

    /** Seconds (integer or fraction) to whole milliseconds, rounded as {@code pmc} rounds them. */
    private static long millis(Object seconds) {
        return Math.round((Double) seconds * 1000.0);
    }

    /** Sets the app version from a scenario's JSON string, or unsets it for null. */
    private static void setAppVersion(Engine engine, Object version) {
        engine.setAppVersion((String) version);
    }

    /** Sets the app build from a scenario's JSON number, or unsets it for null. */
    private static void setAppBuild(Engine engine, Object build) {
        if (build == null) {
            engine.clearAppBuild();
        } else {
            engine.setAppBuild(((Double) build).longValue());
        }
    }

    /** Milliseconds as seconds, written without exponent or trailing zeros ({@code 31}, {@code 40.5}). */
    private static String seconds(long millis) {
        return BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString();
    }

    private static String text(Map<String, Object> event, String field) {
        Object value = event.get(field);
        return value == null ? "" : (String) value;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        return (List<Object>) value;
    }
}
