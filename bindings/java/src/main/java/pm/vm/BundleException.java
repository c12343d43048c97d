package pm.vm;

/**
 * The bytes are not a valid bundle: truncated, corrupted, of an unsupported format version, or
 * failing verification. Thrown by {@link Bundle#load} and {@link Bundle#loadVerified}.
 */
public class BundleException extends VmException {
    private static final long serialVersionUID = 1L;

    /** An exception with the VM's message. */
    public BundleException(String message) {
        super(message);
    }
}
