package io.camelsandai.artifact;

import java.net.URI;

/**
 * The outcome of a write: where the object now is, and its size and sha256 as measured while the bytes streamed
 * through (never by reading the object a second time).
 *
 * @param sha256 lowercase hex
 */
public record StoredArtifact(URI uri, long size, String sha256, String contentType) {
}
