package pm.vm;

/** The visit history an {@link Engine#appLaunch(long, VisitHistory) app_launch} may state. */
public enum VisitHistory {
    /** The device's first visit. */
    NEW,
    /** A later visit. */
    RETURNING
}
