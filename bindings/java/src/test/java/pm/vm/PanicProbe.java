package pm.vm;

/** Native methods that panic on the Rust side (debug builds of the library only). */
final class PanicProbe {
    static {
        NativeLibrary.load();
    }

    private PanicProbe() {}

    /** Panics in a method that upgrades the JNI environment first. */
    static native void panic();

    /** Panics in a method that needs no JNI call to succeed (the event methods' path). */
    static native void panicPrimitive();
}
