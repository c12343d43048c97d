package pm.vm;

/**
 * {@link Bundle#loadVerified} refused a bundle: it is unsigned, signed by a key that is not
 * trusted, or was modified after signing. The message says which, for example
 * {@code "bundle refused: the bundle is not signed, and a signature is required"}.
 */
public class SignatureException extends BundleException {
    private static final long serialVersionUID = 1L;

    /** An exception with the VM's message. */
    public SignatureException(String message) {
        super(message);
    }
}
