package pm.vm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What happens when the customer answers a message: a hand-over to a live {@link Agent} or an
 * {@link AiAgent}'s answer. These two are the only kinds ({@code when (r) { is Response.Agent ->
 * …; is Response.AiAgent -> … }} in Kotlin, {@code instanceof} in Java). Immutable.
 */
public abstract class Response {
    private Response() {}

    /** Hand-over to a live agent ({@code respond agent { follow_up …; collect … }}). */
    public static final class Agent extends Response {
        private final String followUp;
        private final List<CollectField> collect;

        /** Called by the native library: {@code collect} holds wire names, in bundle order. */
        Agent(String followUp, String[] collect) {
            this.followUp = followUp;
            List<CollectField> fields = new ArrayList<>(collect.length);
            for (String name : collect) {
                fields.add(CollectField.fromWireName(name));
            }
            this.collect = Collections.unmodifiableList(fields);
        }

        /** The follow-up text shown when the customer answers; never null. */
        public String getFollowUp() {
            return followUp;
        }

        /** The fields to collect, in the order name, email; empty for {@code collect none}. */
        public List<CollectField> getCollect() {
            return collect;
        }

        @Override
        public boolean equals(Object other) {
            if (!(other instanceof Agent)) {
                return false;
            }
            Agent that = (Agent) other;
            return followUp.equals(that.followUp) && collect.equals(that.collect);
        }

        @Override
        public int hashCode() {
            return 31 * followUp.hashCode() + collect.hashCode();
        }

        @Override
        public String toString() {
            return "Agent{followUp=" + followUp + ", collect=" + collect + "}";
        }
    }

    /** An AI agent's answer ({@code respond ai_agent "…" { answer "…" }}). */
    public static final class AiAgent extends Response {
        private final String aiAgent;
        private final String answer;
        private final boolean generative;

        /** Called by the native library. */
        AiAgent(String aiAgent, String answer, boolean generative) {
            this.aiAgent = aiAgent;
            this.answer = answer;
            this.generative = generative;
        }

        /** The AI agent's name; never null. */
        public String getAiAgent() {
            return aiAgent;
        }

        /** The answer it gives; never null. */
        public String getAnswer() {
            return answer;
        }

        /** Whether the agent generates its replies (and so needs automated resolutions). */
        public boolean isGenerative() {
            return generative;
        }

        @Override
        public boolean equals(Object other) {
            if (!(other instanceof AiAgent)) {
                return false;
            }
            AiAgent that = (AiAgent) other;
            return aiAgent.equals(that.aiAgent)
                    && answer.equals(that.answer)
                    && generative == that.generative;
        }

        @Override
        public int hashCode() {
            return (31 * aiAgent.hashCode() + answer.hashCode()) * 2 + (generative ? 1 : 0);
        }

        @Override
        public String toString() {
            return "AiAgent{aiAgent=" + aiAgent + ", answer=" + answer + ", generative=" + generative + "}";
        }
    }
}
