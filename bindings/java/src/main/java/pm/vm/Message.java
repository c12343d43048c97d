package pm.vm;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * What a host shows for a message: its content as typed fields (SPEC §6; the same content as
 * {@link Bundle#getMessageJson}). An immutable value, independent of the bundle it came from
 * (it stays valid after the bundle is closed). No getter returns null.
 */
public final class Message {
    private final int index;
    private final String name;
    private final String brand;
    private final String channel;
    private final String say;
    private final List<String> tags;
    private final int priority;
    private final Response response;

    /** Called by the native library. */
    Message(
            int index,
            String name,
            String brand,
            String channel,
            String say,
            String[] tags,
            int priority,
            Response response) {
        this.index = index;
        this.name = name;
        this.brand = brand;
        this.channel = channel;
        this.say = say;
        this.tags = Collections.unmodifiableList(Arrays.asList(tags.clone()));
        this.priority = priority;
        this.response = response;
    }

    /** The message's index in its bundle (the index deliveries carry). */
    public int getIndex() {
        return index;
    }

    /** The message's name, unique in the bundle. */
    public String getName() {
        return name;
    }

    /** The brand it speaks for. */
    public String getBrand() {
        return brand;
    }

    /** The channel it is shown on. */
    public String getChannel() {
        return channel;
    }

    /** The proactive text shown to the customer. */
    public String getSay() {
        return say;
    }

    /** Tags for tickets created from the interaction, in source order; possibly empty. */
    public List<String> getTags() {
        return tags;
    }

    /** Priority among messages due at the same instant (higher wins). */
    public int getPriority() {
        return priority;
    }

    /** What happens when the customer answers: {@link Response.Agent} or {@link Response.AiAgent}. */
    public Response getResponse() {
        return response;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof Message)) {
            return false;
        }
        Message that = (Message) other;
        return index == that.index
                && name.equals(that.name)
                && brand.equals(that.brand)
                && channel.equals(that.channel)
                && say.equals(that.say)
                && tags.equals(that.tags)
                && priority == that.priority
                && response.equals(that.response);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new Object[] {index, name, brand, channel, say, tags, priority, response});
    }

    @Override
    public String toString() {
        return "Message{index=" + index + ", name=" + name + ", channel=" + channel + ", say=" + say + "}";
    }
}
