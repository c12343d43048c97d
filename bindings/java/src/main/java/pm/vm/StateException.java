package pm.vm;

/**
 * Saved device state could not be restored ({@link Engine#restoreState}): not state, written by
 * a newer VM, truncated or corrupted. The engine is unchanged.
 */
public class StateException extends VmException {
    private static final long serialVersionUID = 1L;

    /** An exception with the VM's message. */
    public StateException(String message) {
        super(message);
    }
}
