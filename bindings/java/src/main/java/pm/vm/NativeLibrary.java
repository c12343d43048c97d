package pm.vm;

/** Loads the native half of the binding ({@code libpm_vm_jni.so}) once per class loader. */
final class NativeLibrary {
    /** The library's name for {@link System#loadLibrary}: {@code libpm_vm_jni.so} on Android and Linux. */
    static final String NAME = "pm_vm_jni";

    static {
        System.loadLibrary(NAME);
    }

    private NativeLibrary() {}

    /** Makes sure the library is loaded; cheap after the first call (class initialization runs once). */
    static void load() {
        // Referencing the class runs its static initializer exactly once.
    }
}
