package pm.vm;

import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The native object behind one {@link Bundle} or {@link Engine}: its pointer, the function that
 * frees it, and the lock that guards both.
 *
 * <p>Invariants: the pointer is {@code 0} once released and is freed at most once. Every native
 * call on the object is made while holding this handle's monitor (callers write
 * {@code synchronized (handle) { nativeCall(handle.pointer(), ...); }}), and {@link #release}
 * takes the same monitor, so the object is never freed under a running call, whichever thread
 * closes it, and a call after the release throws {@link IllegalStateException} instead of
 * touching freed memory.
 *
 * <p>Safety net: the handle is a phantom reference to its owner. When an owner that was never
 * closed becomes unreachable, the garbage collector enqueues the handle, and the next handle
 * created releases it. Closing stays the contract; the net only bounds what a forgotten
 * {@code close()} costs.
 */
final class NativeHandle extends PhantomReference<Object> {
    /** Frees a native object, given its pointer. */
    interface Free {
        void free(long pointer);
    }

    private static final ReferenceQueue<Object> UNREACHABLE = new ReferenceQueue<>();

    /** Every handle not yet released: a phantom reference is only enqueued while reachable. */
    private static final Set<NativeHandle> LIVE =
            Collections.newSetFromMap(new ConcurrentHashMap<NativeHandle, Boolean>());

    private final String kind;
    private final Free free;
    private long pointer; // guarded by this

    /**
     * Takes ownership of {@code pointer} (non-zero) for {@code owner}.
     *
     * @param kind what the object is, for error messages ("bundle", "engine")
     */
    NativeHandle(Object owner, String kind, long pointer, Free free) {
        super(owner, UNREACHABLE);
        this.kind = kind;
        this.free = free;
        this.pointer = pointer;
        releaseUnreachable();
        LIVE.add(this);
    }

    /**
     * The pointer, for a native call made while holding this handle's monitor.
     *
     * @throws IllegalStateException when the owner was closed
     */
    long pointer() {
        if (pointer == 0) {
            throw new IllegalStateException("this " + kind + " is closed");
        }
        return pointer;
    }

    /** Frees the native object, once; later calls do nothing. */
    synchronized void release() {
        long released = pointer;
        if (released == 0) {
            return;
        }
        pointer = 0;
        LIVE.remove(this);
        clear();
        free.free(released);
    }

    /** Releases the handles whose owners were collected without being closed. */
    static void releaseUnreachable() {
        Reference<?> reference;
        while ((reference = UNREACHABLE.poll()) != null) {
            ((NativeHandle) reference).release();
        }
    }

    /** The number of native objects not yet released (for tests). */
    static int liveCount() {
        return LIVE.size();
    }
}
