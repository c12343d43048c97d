package pm.vm;

/**
 * A message the host should display now: the check instant and the message's content, resolved
 * against the engine's bundle when the delivery was taken. An immutable value.
 */
public final class Delivery {
    private final long time;
    private final Message message;

    Delivery(long time, Message message) {
        this.time = time;
        this.message = message;
    }

    /** The check instant, in milliseconds since the Unix epoch (UTC). */
    public long getTime() {
        return time;
    }

    /** The delivered message's index in the engine's bundle (what {@link Engine#messageOpened(long, int)} takes). */
    public int getMessageIndex() {
        return message.getIndex();
    }

    /** The delivered message's content; never null. */
    public Message getMessage() {
        return message;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof Delivery)) {
            return false;
        }
        Delivery that = (Delivery) other;
        return time == that.time && message.equals(that.message);
    }

    @Override
    public int hashCode() {
        return 31 * Long.hashCode(time) + message.hashCode();
    }

    @Override
    public String toString() {
        return "Delivery{time=" + time + ", message=" + message.getName() + "}";
    }
}
