package pm.vm;

/** The bundle has no channel of the given name ({@link Engine#Engine(Bundle, String)}). */
public class ChannelException extends VmException {
    private static final long serialVersionUID = 1L;

    /** An exception with the VM's message. */
    public ChannelException(String message) {
        super(message);
    }
}
