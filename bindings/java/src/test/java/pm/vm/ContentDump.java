package pm.vm;

import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints every message of each bundle twice, so the test can compare both with the VM's own
 * content JSON: once written here from the typed {@link Message} getters (which shows the
 * fields crossed JNI intact: strings, tags, priority, response kind and collect fields), and
 * once as {@link Bundle#getMessageJson} returns it.
 *
 * <p>Usage: {@code ContentDump BUNDLE.pmb…}. One line per message:
 * {@code BUNDLE<TAB>INDEX<TAB>TYPED_JSON<TAB>BUNDLE_JSON} (JSON escapes tabs, so the split is safe).
 */
final class ContentDump {
    private ContentDump() {}

    public static void main(String[] args) throws Exception {
        for (String path : args) {
            try (Bundle bundle = Bundle.load(Files.readAllBytes(Paths.get(path)))) {
                for (int i = 0; i < bundle.getMessageCount(); i++) {
                    Message message = bundle.getMessage(i);
                    if (message.getIndex() != i || bundle.indexOfMessage(message.getName()) != i) {
                        throw new AssertionError("message " + i + " does not know its own index");
                    }
                    System.out.println(path + "\t" + i + "\t" + typedJson(message) + "\t" + bundle.getMessageJson(i));
                }
            }
        }
    }

    /** The message in the JSON shape of SPEC §6, from its getters. */
    static String typedJson(Message message) {
        StringBuilder out = new StringBuilder("{")
                .append("\"name\":").append(Json.quote(message.getName()))
                .append(",\"brand\":").append(Json.quote(message.getBrand()))
                .append(",\"channel\":").append(Json.quote(message.getChannel()))
                .append(",\"say\":").append(Json.quote(message.getSay()))
                .append(",\"tags\":").append(Json.quoteAll(message.getTags()))
                .append(",\"priority\":").append(message.getPriority())
                .append(",\"respond\":");
        Response response = message.getResponse();
        if (response instanceof Response.Agent) {
            Response.Agent agent = (Response.Agent) response;
            List<String> collect = new ArrayList<>();
            for (CollectField field : agent.getCollect()) {
                collect.add(field.wireName());
            }
            out.append("{\"type\":\"agent\",\"follow_up\":").append(Json.quote(agent.getFollowUp()))
                    .append(",\"collect\":").append(Json.quoteAll(collect)).append('}');
        } else {
            Response.AiAgent ai = (Response.AiAgent) response;
            out.append("{\"type\":\"ai_agent\",\"ai_agent\":").append(Json.quote(ai.getAiAgent()))
                    .append(",\"answer\":").append(Json.quote(ai.getAnswer()))
                    .append(",\"generative\":").append(ai.isGenerative()).append('}');
        }
        return out.append('}').toString();
    }
}
