package io.camelsandai.artifact;

/**
 * What a store knows about an object without reading it.
 *
 * @param exists      false when the object is missing (then size is -1 and contentType and etag null)
 * @param size        bytes, or -1 when unknown
 * @param contentType MIME type, or null when unknown
 * @param etag        the store's entity tag without surrounding quotes (S3 HEAD gives it), or null when the store
 *                    has none
 */
public record ArtifactStat(boolean exists, long size, String contentType, String etag) {
    public static final ArtifactStat MISSING = new ArtifactStat(false, -1, null, null);

    /** A stat without an entity tag (stores that have none). */
    public ArtifactStat(boolean exists, long size, String contentType) {
        this(exists, size, contentType, null);
    }

    /** An entity tag as a store or a peer spells it, without the surrounding quotes (and a weak {@code W/}). */
    public static String unquoteEtag(String etag) {
        if (etag == null) {
            return null;
        }
        String e = etag.trim();
        if (e.startsWith("W/")) {
            e = e.substring(2);
        }
        if (e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")) {
            e = e.substring(1, e.length() - 1);
        }
        return e;
    }
}
