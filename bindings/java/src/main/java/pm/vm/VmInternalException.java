package pm.vm;

/**
 * A bug in the VM was caught at the boundary (a Rust panic, or a failed JNI call) instead of
 * crashing the app. None is expected; close the engine that threw it and report the message.
 */
public class VmInternalException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An exception with the native side's description of what went wrong. */
    public VmInternalException(String message) {
        super(message);
    }
}
