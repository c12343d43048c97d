package pm.vm;

/**
 * The VM refused an input: a bundle, a signature, saved device state or a channel name. The
 * message is the VM's own, in plain words (the same text the C ABI and {@code pmc} report).
 */
public class VmException extends Exception {
    private static final long serialVersionUID = 1L;

    /** An exception with the VM's message. */
    public VmException(String message) {
        super(message);
    }
}
