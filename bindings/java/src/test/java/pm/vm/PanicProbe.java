package pm.vm;

/** A native method that panics on the Rust side (debug builds of the library only). */
final class PanicProbe {
    static {
        NativeLibrary.load();
    }

    private PanicProbe() {}

    static native void panic();
}
