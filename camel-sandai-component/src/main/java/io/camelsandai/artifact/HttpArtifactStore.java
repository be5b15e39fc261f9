package io.camelsandai.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code http://} and {@code https://} artifacts through {@link java.net.http.HttpClient}: streaming GET with at most
 * {@code httpMaxRedirects} redirects followed by hand (so the count and the schemes are ours to check) and a size cap
 * enforced both on {@code Content-Length} and on the bytes actually read; optional PUT upload, HEAD for stat, DELETE.
 */
public final class HttpArtifactStore implements ArtifactStore {
    private final HttpClient http;
    private final ArtifactSettings settings;

    public HttpArtifactStore(ArtifactSettings settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(settings.httpTimeout())
                .build();
    }

    @Override
    public InputStream openRead(URI uri) {
        HttpResponse<InputStream> response = sendFollowingRedirects(uri, "GET");
        long announced = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (announced > settings.httpMaxBytes()) {
            closeQuietly(response.body());
            throw new ArtifactTransferException("GET " + shown(uri) + ": " + announced + " bytes is larger than the cap of "
                                                + settings.httpMaxBytes(), false);
        }
        return new CappedInputStream(response.body(), settings.httpMaxBytes(), "GET " + shown(uri));
    }

    private HttpResponse<InputStream> sendFollowingRedirects(URI start, String method) {
        URI current = requireHttp(start);
        for (int hop = 0; ; hop++) {
            HttpRequest request = HttpRequest.newBuilder(current).timeout(settings.httpTimeout())
                    .method(method, HttpRequest.BodyPublishers.noBody()).build();
            HttpResponse<InputStream> response = send(request, HttpResponse.BodyHandlers.ofInputStream(), method, start);
            int status = response.statusCode();
            if (status >= 300 && status < 400 && status != 304) {
                closeQuietly(response.body());
                Optional<String> location = response.headers().firstValue("Location");
                if (location.isEmpty()) {
                    throw new ArtifactTransferException(method + " " + shown(start) + ": redirect without Location", false);
                }
                if (hop >= settings.httpMaxRedirects()) {
                    throw new ArtifactTransferException(method + " " + shown(start) + ": more than "
                                                        + settings.httpMaxRedirects() + " redirects", false);
                }
                current = requireHttp(current.resolve(location.get()));
                continue;
            }
            if (status >= 200 && status < 300) {
                return response;
            }
            closeQuietly(response.body());
            throw statusError(method, start, status);
        }
    }

    @Override
    public StoredArtifact write(URI uri, InputStream content, long size, String contentType) {
        requireHttp(uri);
        String type = contentType != null ? contentType : ContentTypes.guess(fileName(uri));
        MeasuredInputStream measured = new MeasuredInputStream(content);
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.ofInputStream(() -> measured);
        if (size >= 0) {
            body = HttpRequest.BodyPublishers.fromPublisher(body, size);
        }
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(settings.httpTimeout())
                .header("Content-Type", type).PUT(body).build();
        HttpResponse<Void> response = send(request, HttpResponse.BodyHandlers.discarding(), "PUT", uri);
        if (response.statusCode() < 200 || response.statusCode() >= 300) {
            throw statusError("PUT", uri, response.statusCode());
        }
        return new StoredArtifact(uri, measured.count(), measured.sha256Hex(), type);
    }

    @Override
    public ArtifactStat stat(URI uri) {
        HttpResponse<InputStream> response;
        try {
            response = sendFollowingRedirects(uri, "HEAD");
        } catch (ArtifactNotFoundException e) {
            return ArtifactStat.MISSING;
        }
        closeQuietly(response.body());
        OptionalLong length = response.headers().firstValueAsLong("Content-Length");
        return new ArtifactStat(true, length.orElse(-1), response.headers().firstValue("Content-Type").orElse(null));
    }

    @Override
    public void delete(URI uri) {
        requireHttp(uri);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(settings.httpTimeout()).DELETE().build();
        int status = send(request, HttpResponse.BodyHandlers.discarding(), "DELETE", uri).statusCode();
        if ((status < 200 || status >= 300) && status != 404 && status != 410) {
            throw statusError("DELETE", uri, status);
        }
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler, String method, URI uri) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw new ArtifactTransferException(method + " " + shown(uri) + " failed: " + e, true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArtifactTransferException(method + " " + shown(uri) + " interrupted", true, e);
        }
    }

    private static ArtifactException statusError(String method, URI uri, int status) {
        String detail = method + " " + shown(uri) + ": HTTP " + status;
        if (status == 404 || status == 410) {
            return new ArtifactNotFoundException(detail);
        }
        if (status == 401 || status == 403) {
            return new ArtifactAccessDeniedException(detail);
        }
        return new ArtifactTransferException(detail, status >= 500 || status == 429 || status == 408);
    }

    private static URI requireHttp(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new ArtifactAccessDeniedException("not an http(s) URI: " + shown(uri));
        }
        return uri;
    }

    /** Pre-signed URLs carry signatures in the query: never show it. */
    static String shown(URI uri) {
        String s = uri.toString();
        int q = s.indexOf('?');
        return q < 0 ? s : s.substring(0, q) + "?...";
    }

    private static String fileName(URI uri) {
        String path = uri.getPath() == null ? "" : uri.getPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // nothing useful to do
        }
    }

    @Override
    public String toString() {
        return "HttpArtifactStore[maxBytes=" + settings.httpMaxBytes() + ", maxRedirects=" + settings.httpMaxRedirects() + "]";
    }
}
