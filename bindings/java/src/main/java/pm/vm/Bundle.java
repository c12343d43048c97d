package pm.vm;

import java.util.Objects;

/**
 * A verified, loaded bundle ({@code .pmb}, built by {@code pmc build}): the messages one or more
 * {@link Engine}s run. Loading checks everything once; afterwards nothing the bundle holds can
 * make the VM misbehave.
 *
 * <p><b>Memory.</b> A bundle owns native memory until {@link #close()}: use
 * try-with-resources ({@code use {}} in Kotlin). Engines keep their own reference to the
 * bundle's contents, so the bundle may be closed while engines created from it still run.
 * Closing twice is harmless; any other call after closing throws {@link IllegalStateException}.
 *
 * <p><b>Threads.</b> A bundle is immutable: calls from several threads are safe (they are
 * serialized by a lock, which also keeps {@link #close()} from freeing memory under a running
 * call).
 *
 * <p>No method accepts or returns null unless it says so.
 */
public final class Bundle implements AutoCloseable {
    static {
        NativeLibrary.load();
    }

    /** Length in bytes of an Ed25519 public key. */
    public static final int PUBLIC_KEY_BYTES = 32;

    final NativeHandle handle;

    private Bundle(long pointer) {
        handle = new NativeHandle(this, "bundle", pointer, Bundle::nativeFree);
    }

    /**
     * Loads and verifies a bundle from untrusted bytes (signed or not).
     *
     * @throws BundleException with the VM's reason when the bytes are not a valid bundle
     */
    public static Bundle load(byte[] bytes) throws BundleException {
        Objects.requireNonNull(bytes, "bytes");
        return new Bundle(nativeLoad(bytes));
    }

    /**
     * Loads a bundle that must carry a valid Ed25519 signature by one of {@code trustedKeys}
     * (32 bytes each, as {@code pmc keygen} prints them in hex).
     *
     * @throws SignatureException when the bundle is unsigned, signed by another key, or was
     *     modified after signing
     * @throws BundleException when the bytes are not a valid bundle
     * @throws IllegalArgumentException when a key is not 32 bytes or not a valid Ed25519 key
     */
    public static Bundle loadVerified(byte[] bytes, byte[]... trustedKeys) throws BundleException {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(trustedKeys, "trustedKeys");
        byte[] keys = new byte[trustedKeys.length * PUBLIC_KEY_BYTES];
        for (int i = 0; i < trustedKeys.length; i++) {
            byte[] key = Objects.requireNonNull(trustedKeys[i], "trustedKeys[" + i + "]");
            if (key.length != PUBLIC_KEY_BYTES) {
                throw new IllegalArgumentException(
                        "trusted key " + i + " is " + key.length + " bytes; an Ed25519 public key is "
                                + PUBLIC_KEY_BYTES);
            }
            System.arraycopy(key, 0, keys, i * PUBLIC_KEY_BYTES, PUBLIC_KEY_BYTES);
        }
        return new Bundle(nativeLoadVerified(bytes, keys));
    }

    /** The number of messages; indices {@code 0 .. getMessageCount() - 1} are the ones deliveries carry. */
    public int getMessageCount() {
        synchronized (handle) {
            return nativeMessageCount(handle.pointer());
        }
    }

    /**
     * The content of message {@code index}.
     *
     * @throws IndexOutOfBoundsException when {@code index} is not in {@code [0, getMessageCount())}
     */
    public Message getMessage(int index) {
        synchronized (handle) {
            return nativeMessage(handle.pointer(), index);
        }
    }

    /**
     * The content of message {@code index} as the JSON object of the embedding contract (SPEC §6):
     * {@code {"name", "brand", "channel", "say", "tags", "priority", "respond"}}, for hosts that
     * hand it on (to a web view, say) rather than read it.
     *
     * @throws IndexOutOfBoundsException when {@code index} is not in {@code [0, getMessageCount())}
     */
    public String getMessageJson(int index) {
        synchronized (handle) {
            return nativeMessageJson(handle.pointer(), index);
        }
    }

    /** The index of the message named {@code name}, or {@code -1} when the bundle has none. */
    public int indexOfMessage(String name) {
        Objects.requireNonNull(name, "name");
        synchronized (handle) {
            return nativeIndexOfMessage(handle.pointer(), name);
        }
    }

    /** Frees the bundle's native memory (engines created from it keep running). Idempotent. */
    @Override
    public void close() {
        handle.release();
    }

    private static native long nativeLoad(byte[] bytes) throws BundleException;

    private static native long nativeLoadVerified(byte[] bytes, byte[] keys) throws BundleException;

    private static native void nativeFree(long bundle);

    private static native int nativeMessageCount(long bundle);

    private static native Message nativeMessage(long bundle, int index);

    private static native String nativeMessageJson(long bundle, int index);

    private static native int nativeIndexOfMessage(long bundle, String name);
}
