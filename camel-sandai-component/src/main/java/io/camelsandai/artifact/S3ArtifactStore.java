package io.camelsandai.artifact;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

import io.camelsandai.util.DaemonThreads;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * {@code s3://bucket/key} through the AWS SDK for Java v2 (blocking Apache HTTP client). Works with AWS and with
 * S3-compatible stores (endpoint override + path-style). Memory stays bounded whatever the object size:
 * <ul>
 * <li>downloads stream the response body; at most {@code downloadConcurrency} are open at once;</li>
 * <li>objects up to {@code multipartThreshold} go in one PUT from a buffer of their size (so SDK retries can
 * replay them); larger ones go as a multipart upload, read part by part, with at most {@code uploadConcurrency}
 * parts in flight for the whole store, so the heap holds at most that many part buffers plus one head buffer per
 * running upload.</li>
 * </ul>
 * Size and sha256 are computed on the bytes as they are read from the caller's stream.
 */
public final class S3ArtifactStore implements ArtifactStore {
    private final S3Client s3;
    private final boolean ownsClient;
    private final Semaphore downloadSlots;
    private final Semaphore uploadSlots;
    private final Semaphore partsInFlight;
    private final ExecutorService partUploader;
    private final long multipartThreshold;
    private final int partSize;

    /** Builds its own S3 client from the settings (endpoint, region, path style, credentials). */
    public S3ArtifactStore(ArtifactSettings settings) {
        this(buildClient(settings), true, settings);
    }

    /** Uses a client the caller built and keeps ownership of (not closed by {@link #close()}). */
    public S3ArtifactStore(S3Client client, ArtifactSettings settings) {
        this(client, false, settings);
    }

    private S3ArtifactStore(S3Client client, boolean ownsClient, ArtifactSettings settings) {
        this.s3 = client;
        this.ownsClient = ownsClient;
        this.downloadSlots = new Semaphore(settings.downloadConcurrency(), true);
        this.uploadSlots = new Semaphore(settings.uploadConcurrency(), true);
        this.partsInFlight = new Semaphore(settings.uploadConcurrency(), true);
        this.partUploader = Executors.newFixedThreadPool(settings.uploadConcurrency(),
                DaemonThreads.factory("sandai-s3-part"));
        this.multipartThreshold = settings.multipartThreshold();
        this.partSize = Math.toIntExact(settings.multipartPartSize());
    }

    /** The S3 client the settings describe; credentials from the settings, else the SDK's default chain. */
    public static S3Client buildClient(ArtifactSettings settings) {
        int connections = settings.downloadConcurrency() + settings.uploadConcurrency() * 2 + 2;
        S3ClientBuilder builder = S3Client.builder()
                .httpClientBuilder(ApacheHttpClient.builder()
                        .maxConnections(connections)
                        .connectionTimeout(settings.httpTimeout())
                        .socketTimeout(Duration.ofMinutes(2)))
                .region(region(settings))
                .credentialsProvider(credentials(settings))
                .forcePathStyle(settings.s3PathStyle());
        if (settings.s3Endpoint() != null) {
            builder.endpointOverride(settings.s3Endpoint());
            // S3-compatible stores often lack the newer flexible checksums (trailing CRC32 on aws-chunked bodies);
            // integrity is covered by our own sha256 and the SigV4 payload signature.
            builder.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED);
            builder.responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        return builder.build();
    }

    private static Region region(ArtifactSettings settings) {
        if (settings.s3Region() != null) {
            return Region.of(settings.s3Region());
        }
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkException e) {
            return Region.US_EAST_1;
        }
    }

    private static AwsCredentialsProvider credentials(ArtifactSettings settings) {
        if (settings.s3AccessKey() != null) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.s3AccessKey(), settings.s3SecretKey()));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    public S3Client client() {
        return s3;
    }

    @Override
    public InputStream openRead(URI uri) {
        S3Location loc = S3Location.of(uri);
        acquire(downloadSlots, uri);
        try {
            ResponseInputStream<GetObjectResponse> body = s3.getObject(GetObjectRequest.builder()
                    .bucket(loc.bucket()).key(loc.key()).build());
            return new ReleasingInputStream(body, body::abort, downloadSlots::release);
        } catch (SdkException e) {
            downloadSlots.release();
            throw S3Errors.map(e, "GET", uri);
        } catch (RuntimeException e) {
            downloadSlots.release();
            throw e;
        }
    }

    @Override
    public StoredArtifact write(URI uri, InputStream content, long size, String contentType) {
        S3Location loc = S3Location.of(uri);
        String type = contentType != null ? contentType : ContentTypes.guess(loc.key());
        acquire(uploadSlots, uri);
        try {
            MeasuredInputStream measured = new MeasuredInputStream(content);
            PushbackInputStream in = new PushbackInputStream(measured, 1);
            int headSize = (int) (size >= 0 && size <= multipartThreshold ? size : multipartThreshold);
            byte[] head = new byte[headSize];
            int headLength = in.readNBytes(head, 0, headSize);
            int next = in.read();
            if (next < 0) {
                putSingle(loc, head, headLength, type, uri);
            } else {
                if (headLength < partSize) {
                    throw new ArtifactTransferException("PUT " + uri + ": the stream is longer than the announced "
                                                        + size + " bytes", false);
                }
                in.unread(next);
                putMultipart(loc, head, headLength, in, type, uri);
            }
            return new StoredArtifact(uri, measured.count(), measured.sha256Hex(), type);
        } catch (IOException e) {
            throw new ArtifactTransferException("PUT " + uri + ": reading the content failed: " + e.getMessage(), false, e);
        } finally {
            uploadSlots.release();
        }
    }

    private void putSingle(S3Location loc, byte[] buf, int length, String type, URI uri) {
        try {
            s3.putObject(PutObjectRequest.builder().bucket(loc.bucket()).key(loc.key()).contentType(type)
                    .contentLength((long) length).build(),
                    RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buf, 0, length), length, type));
        } catch (SdkException e) {
            throw S3Errors.map(e, "PUT", uri);
        }
    }

    private void putMultipart(S3Location loc, byte[] head, int headLength, InputStream in, String type, URI uri)
            throws IOException {
        String uploadId;
        try {
            uploadId = s3.createMultipartUpload(CreateMultipartUploadRequest.builder()
                    .bucket(loc.bucket()).key(loc.key()).contentType(type).build()).uploadId();
        } catch (SdkException e) {
            throw S3Errors.map(e, "PUT (create multipart)", uri);
        }
        List<CompletableFuture<CompletedPart>> parts = new ArrayList<>();
        try {
            acquire(partsInFlight, uri);
            parts.add(uploadPart(loc, uploadId, 1, head, headLength, uri));
            for (int partNumber = 2; ; partNumber++) {
                failFast(parts);
                // Take the slot before allocating: the number of part buffers alive is what bounds the heap.
                acquire(partsInFlight, uri);
                byte[] buf;
                int n;
                try {
                    buf = new byte[partSize];
                    n = in.readNBytes(buf, 0, partSize);
                } catch (IOException | RuntimeException e) {
                    partsInFlight.release();
                    throw e;
                }
                if (n == 0) {
                    partsInFlight.release();
                    break;
                }
                parts.add(uploadPart(loc, uploadId, partNumber, buf, n, uri));
                if (n < partSize) {
                    break;
                }
            }
            List<CompletedPart> completed = new ArrayList<>(parts.size());
            for (CompletableFuture<CompletedPart> part : parts) {
                completed.add(part.join());
            }
            s3.completeMultipartUpload(b -> b.bucket(loc.bucket()).key(loc.key()).uploadId(uploadId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(completed).build()));
        } catch (CompletionException e) {
            abort(loc, uploadId, parts);
            throw unwrap(e, uri);
        } catch (SdkException e) {
            abort(loc, uploadId, parts);
            throw S3Errors.map(e, "PUT (complete multipart)", uri);
        } catch (IOException | RuntimeException e) {
            abort(loc, uploadId, parts);
            throw e;
        }
    }

    private CompletableFuture<CompletedPart> uploadPart(S3Location loc, String uploadId, int partNumber, byte[] buf,
            int length, URI uri) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                String etag = s3.uploadPart(UploadPartRequest.builder().bucket(loc.bucket()).key(loc.key())
                        .uploadId(uploadId).partNumber(partNumber).contentLength((long) length).build(),
                        RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buf, 0, length), length,
                                ContentTypes.OCTET_STREAM)).eTag();
                return CompletedPart.builder().partNumber(partNumber).eTag(etag).build();
            } catch (SdkException e) {
                throw S3Errors.map(e, "PUT (part " + partNumber + ")", uri);
            } finally {
                partsInFlight.release();
            }
        }, partUploader);
    }

    private static void failFast(List<CompletableFuture<CompletedPart>> parts) {
        for (CompletableFuture<CompletedPart> part : parts) {
            if (part.isCompletedExceptionally()) {
                part.join();
            }
        }
    }

    private void abort(S3Location loc, String uploadId, List<CompletableFuture<CompletedPart>> parts) {
        for (CompletableFuture<CompletedPart> part : parts) {
            // Let running parts end so the abort is not raced by a late part.
            part.handle((v, t) -> null).join();
        }
        try {
            s3.abortMultipartUpload(AbortMultipartUploadRequest.builder().bucket(loc.bucket()).key(loc.key())
                    .uploadId(uploadId).build());
        } catch (SdkException ignored) {
            // Best effort; a bucket lifecycle rule cleans up incomplete uploads that remain.
        }
    }

    private static RuntimeException unwrap(CompletionException e, URI uri) {
        Throwable cause = e.getCause();
        if (cause instanceof ArtifactException ae) {
            return ae;
        }
        return new ArtifactTransferException("PUT " + uri + " failed: " + cause, true, cause);
    }

    @Override
    public ArtifactStat stat(URI uri) {
        S3Location loc = S3Location.of(uri);
        try {
            HeadObjectResponse head = s3.headObject(HeadObjectRequest.builder().bucket(loc.bucket()).key(loc.key()).build());
            return new ArtifactStat(true, head.contentLength() == null ? -1 : head.contentLength(), head.contentType(),
                    ArtifactStat.unquoteEtag(head.eTag()));
        } catch (NoSuchKeyException e) {
            return ArtifactStat.MISSING;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return ArtifactStat.MISSING;
            }
            throw S3Errors.map(e, "HEAD", uri);
        } catch (SdkException e) {
            throw S3Errors.map(e, "HEAD", uri);
        }
    }

    @Override
    public void delete(URI uri) {
        S3Location loc = S3Location.of(uri);
        try {
            s3.deleteObject(DeleteObjectRequest.builder().bucket(loc.bucket()).key(loc.key()).build());
        } catch (SdkException e) {
            throw S3Errors.map(e, "DELETE", uri);
        }
    }

    private static void acquire(Semaphore slots, URI uri) {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArtifactTransferException("interrupted while waiting for a transfer slot for " + uri, true, e);
        }
    }

    @Override
    public void close() {
        partUploader.shutdownNow();
        if (ownsClient) {
            s3.close();
        }
    }

    @Override
    public String toString() {
        return "S3ArtifactStore[partSize=" + partSize + ", multipartThreshold=" + multipartThreshold + "]";
    }
}
