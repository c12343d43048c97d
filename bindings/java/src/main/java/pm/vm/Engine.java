package pm.vm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The runtime for one channel of a bundle: the host reports events with their time, asks for
 * the next deadline, and takes the deliveries to display (SPEC §3).
 *
 * <p><b>Time.</b> Every {@code now} is milliseconds since the Unix epoch (UTC), as
 * {@link System#currentTimeMillis()} gives. Time never goes backwards: an event stamped earlier
 * than one already reported is applied at the latest time seen. An event first runs the checks
 * due strictly before {@code now}, then applies; {@link #advanceTo} runs the checks due up to
 * and including {@code now}. Arm a timer for {@link #nextDeadline()}, call {@link #advanceTo}
 * when it fires, then {@link #takeDeliveries()}.
 *
 * <p><b>Memory.</b> An engine owns native memory until {@link #close()}: use
 * try-with-resources ({@code use {}} in Kotlin). It keeps the bundle's contents alive on its
 * own, so the {@link Bundle} may be closed first. Closing twice is harmless; any other call
 * after closing throws {@link IllegalStateException}.
 *
 * <p><b>Threads.</b> An engine is not meant to be shared: its events form one timeline, so
 * drive it from one thread (or one serial queue). Calls are nevertheless serialized by a lock,
 * so misuse from several threads cannot corrupt memory, and {@link #close()} never frees the
 * engine under a running call.
 *
 * <p><b>Errors.</b> Refused inputs throw a {@link VmException} subclass with the VM's message;
 * a bug caught at the native boundary throws {@link VmInternalException}. No method accepts or
 * returns null unless it says so.
 *
 * <p><b>Growth.</b> Later calls of the embedding contract (SPEC §6, version 2: app version and
 * build, attributes, app events, suppression, bundle replacement) are added as methods of this
 * class in the same shape: {@code now} first for events, a {@link VmException} subclass for a
 * refused input, and deliveries resolved against the engine's current bundle.
 */
public final class Engine implements AutoCloseable {
    static {
        NativeLibrary.load();
    }

    private final NativeHandle handle;
    /** Out-parameter of {@link #nativeNextDeadline}, reused under the handle's lock. */
    private final long[] deadline = new long[1];

    /**
     * An engine for the channel named {@code channel} of {@code bundle}: no visit, no
     * conversation, automated resolutions available, empty device state and language.
     *
     * @throws ChannelException when the bundle has no such channel
     */
    public Engine(Bundle bundle, String channel) throws ChannelException {
        Objects.requireNonNull(bundle, "bundle");
        Objects.requireNonNull(channel, "channel");
        long pointer;
        synchronized (bundle.handle) {
            pointer = nativeNew(bundle.handle.pointer(), channel);
        }
        handle = new NativeHandle(this, "engine", pointer, Engine::nativeFree);
    }

    /**
     * Sets the device language as Android reports it: {@code Locale.toString()} ({@code
     * "zh_TW_#Hant"}), {@code toLanguageTag()} ({@code "zh-Hant-TW"}) or a resource qualifier
     * ({@code "b+sr+Latn+RS"}); canonicalized once, here.
     */
    public void setLanguage(String language) {
        Objects.requireNonNull(language, "language");
        synchronized (handle) {
            nativeSetLanguage(handle.pointer(), language);
        }
    }

    /**
     * Sets the app's version ({@code "5.2.1"}, {@code "5.2.0-beta.1"}; typically {@code
     * PackageInfo.versionName}), parsed once here; {@code null} unsets it. A version that does
     * not parse fails every {@code app.version} comparison but {@code is not}, as an unset one.
     */
    public void setAppVersion(String version) {
        synchronized (handle) {
            nativeSetAppVersion(handle.pointer(), version);
        }
    }

    /** Sets the app's build number (typically {@code PackageInfo.getLongVersionCode()}). */
    public void setAppBuild(long build) {
        synchronized (handle) {
            nativeSetAppBuild(handle.pointer(), build, true);
        }
    }

    /** Unsets the app's build number: every {@code app.build} comparison but {@code is not} fails. */
    public void clearAppBuild() {
        synchronized (handle) {
            nativeSetAppBuild(handle.pointer(), 0, false);
        }
    }

    /**
     * {@code app_launch}: a visit starts (ending the current one, if any); it is new on the
     * device's first visit and returning afterwards.
     */
    public void appLaunch(long now) {
        synchronized (handle) {
            nativeAppLaunch(handle.pointer(), now, 0);
        }
    }

    /** {@code app_launch} stating the visit history, for this visit only. */
    public void appLaunch(long now, VisitHistory visitHistory) {
        Objects.requireNonNull(visitHistory, "visitHistory");
        synchronized (handle) {
            nativeAppLaunch(handle.pointer(), now, visitHistory == VisitHistory.NEW ? 1 : 2);
        }
    }

    /**
     * {@code screen_open}: a screen (page) opened; starts a visit when none is in progress and
     * restarts the dwell timers of the channel's {@code after screen_open} messages.
     *
     * @param url the page URL or screen name
     * @param title the page title
     */
    public void screenOpen(long now, String url, String title) {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(title, "title");
        synchronized (handle) {
            nativeScreenOpen(handle.pointer(), now, url, title);
        }
    }

    /**
     * {@code message_opened}: the customer opened the displayed message with this index
     * ({@link Delivery#getMessageIndex()}). Any other index, even one out of range, changes
     * nothing (but time still advances to {@code now}).
     */
    public void messageOpened(long now, int messageIndex) {
        synchronized (handle) {
            nativeMessageClosed(handle.pointer(), now, messageIndex, true);
        }
    }

    /** {@code message_opened} by message name; a name the bundle lacks changes nothing. */
    public void messageOpened(long now, String messageName) {
        Objects.requireNonNull(messageName, "messageName");
        synchronized (handle) {
            long pointer = handle.pointer();
            nativeMessageClosed(pointer, now, nativeIndexOfMessage(pointer, messageName), true);
        }
    }

    /**
     * {@code message_dismissed}: the customer dismissed the displayed message with this index.
     * Any other index, even one out of range, changes nothing (but time still advances).
     */
    public void messageDismissed(long now, int messageIndex) {
        synchronized (handle) {
            nativeMessageClosed(handle.pointer(), now, messageIndex, false);
        }
    }

    /** {@code message_dismissed} by message name; a name the bundle lacks changes nothing. */
    public void messageDismissed(long now, String messageName) {
        Objects.requireNonNull(messageName, "messageName");
        synchronized (handle) {
            long pointer = handle.pointer();
            nativeMessageClosed(pointer, now, nativeIndexOfMessage(pointer, messageName), false);
        }
    }

    /** {@code conversation_started}: no proactive message is delivered until it ends, across visits. */
    public void conversationStarted(long now) {
        synchronized (handle) {
            nativeConversation(handle.pointer(), now, true);
        }
    }

    /** {@code conversation_ended}. */
    public void conversationEnded(long now) {
        synchronized (handle) {
            nativeConversation(handle.pointer(), now, false);
        }
    }

    /** {@code set_ai_resolutions}: whether automated (AI) resolutions are available. */
    public void setAiResolutions(long now, boolean available) {
        synchronized (handle) {
            nativeSetAiResolutions(handle.pointer(), now, available);
        }
    }

    /**
     * {@code set_suppressed}: suppresses proactive messages (a payment or onboarding screen), or
     * ends the suppression. A check that falls due while they are suppressed delivers nothing and
     * is not retried.
     */
    public void setSuppressed(long now, boolean suppressed) {
        synchronized (handle) {
            nativeSetSuppressed(handle.pointer(), now, suppressed);
        }
    }

    /** {@code app_quit}: the visit ends, its pending checks are dropped, the displayed message is no longer displayed. */
    public void appQuit(long now) {
        synchronized (handle) {
            nativeAppQuit(handle.pointer(), now);
        }
    }

    /** Runs the checks due up to and including {@code now}. */
    public void advanceTo(long now) {
        synchronized (handle) {
            nativeAdvanceTo(handle.pointer(), now);
        }
    }

    /** The instant of the earliest pending check, or empty when none is pending. */
    public OptionalLong nextDeadline() {
        synchronized (handle) {
            return nativeNextDeadline(handle.pointer(), deadline)
                    ? OptionalLong.of(deadline[0])
                    : OptionalLong.empty();
        }
    }

    /** Returns and forgets the deliveries made so far, in time order; usually empty. */
    public List<Delivery> takeDeliveries() {
        synchronized (handle) {
            long pointer = handle.pointer();
            long[] pairs = nativeTakeDeliveries(pointer);
            if (pairs == null) {
                return Collections.emptyList();
            }
            List<Delivery> deliveries = new ArrayList<>(pairs.length / 2);
            for (int i = 0; i < pairs.length; i += 2) {
                deliveries.add(new Delivery(pairs[i], nativeMessage(pointer, (int) pairs[i + 1])));
            }
            return Collections.unmodifiableList(deliveries);
        }
    }

    /**
     * The device state to persist across app runs (visit count, messages shown on the device):
     * opaque bytes for {@link #restoreState}, also across bundle updates.
     */
    public byte[] saveState() {
        synchronized (handle) {
            return nativeSaveState(handle.pointer());
        }
    }

    /**
     * Replaces the device state with one saved by {@link #saveState} (possibly by an engine over
     * another version of the bundle). The current visit is not affected.
     *
     * @throws StateException when the bytes are not valid state; the engine is then unchanged
     */
    public void restoreState(byte[] state) throws StateException {
        Objects.requireNonNull(state, "state");
        synchronized (handle) {
            nativeRestoreState(handle.pointer(), state);
        }
    }

    /** Frees the engine's native memory. Idempotent. */
    @Override
    public void close() {
        handle.release();
    }

    private static native long nativeNew(long bundle, String channel) throws ChannelException;

    private static native void nativeFree(long engine);

    private static native void nativeSetLanguage(long engine, String language);

    private static native void nativeSetAppVersion(long engine, String version);

    private static native void nativeSetAppBuild(long engine, long build, boolean set);

    /** {@code visitHistory}: 0 derived from the device state, 1 new, 2 returning. */
    private static native void nativeAppLaunch(long engine, long now, int visitHistory);

    private static native void nativeScreenOpen(long engine, long now, String url, String title);

    /** {@code message_opened} when {@code opened}, else {@code message_dismissed}; a negative index matches nothing. */
    private static native void nativeMessageClosed(long engine, long now, int message, boolean opened);

    private static native int nativeIndexOfMessage(long engine, String name);

    private static native void nativeConversation(long engine, long now, boolean started);

    private static native void nativeSetAiResolutions(long engine, long now, boolean available);

    private static native void nativeSetSuppressed(long engine, long now, boolean suppressed);

    private static native void nativeAppQuit(long engine, long now);

    private static native void nativeAdvanceTo(long engine, long now);

    /** Writes the next deadline to {@code out[0]} and returns true, or returns false when none is pending. */
    private static native boolean nativeNextDeadline(long engine, long[] out);

    /** {@code [time, index, time, index, …]}, or null when there is no delivery. */
    private static native long[] nativeTakeDeliveries(long engine);

    private static native Message nativeMessage(long engine, int index);

    private static native byte[] nativeSaveState(long engine);

    private static native void nativeRestoreState(long engine, byte[] state) throws StateException;
}
