package io.camelsandai.examples.demo;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo operator's real work, on uncompressed YUV4MPEG2 (.y4m) video: a text header line, then per frame a
 * {@code FRAME} line and the raw 4:2:0 planes. It is the format ffmpeg and mpv read as {@code -f yuv4mpegpipe}, so the
 * clips the demo writes can be played; and it needs no codec, so the example stays small.
 */
public final class Y4mVideo {
    private static final int MAX_LINE = 1024;

    private Y4mVideo() {
    }

    /** Called after each clip is written; {@code done} counts from 1 to {@code total}. */
    @FunctionalInterface
    public interface ClipListener {
        void clipWritten(int done, int total) throws IOException;
    }

    /** Width, height and frame rate (frames per second, rounded down) of a video; {@code headerLine} as read. */
    public record Header(String headerLine, int width, int height, int fps) {
        /** Bytes of one frame's planes (4:2:0: a full luma plane and two quarter-size chroma planes). */
        public int frameBytes() {
            int chroma = ((width + 1) / 2) * ((height + 1) / 2);
            return width * height + 2 * chroma;
        }
    }

    /** Writes a moving colour gradient of {@code seconds} seconds; returns the file. */
    public static Path generate(Path file, int width, int height, int fps, int seconds) throws IOException {
        Header header = new Header("YUV4MPEG2 W" + width + " H" + height + " F" + fps + ":1 Ip A1:1 C420jpeg",
                width, height, fps);
        byte[] frame = new byte[header.frameBytes()];
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            out.write((header.headerLine() + "\n").getBytes(StandardCharsets.US_ASCII));
            for (int n = 0; n < fps * seconds; n++) {
                int i = 0;
                for (int y = 0; y < height; y++) {
                    for (int x = 0; x < width; x++) {
                        frame[i++] = (byte) (x + y + 4 * n); // luma: a diagonal band sliding right
                    }
                }
                while (i < frame.length) {
                    frame[i++] = (byte) (128 + 40 * Math.sin(n / 10.0)); // chroma: a slow colour shift
                }
                out.write("FRAME\n".getBytes(StandardCharsets.US_ASCII));
                out.write(frame);
            }
        }
        return file;
    }

    /** Reads the header of a .y4m file. */
    public static Header header(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            return readHeader(in);
        }
    }

    /**
     * Splits {@code input} into clips of {@code clipSeconds} seconds each (the last one may be shorter), written as
     * {@code clip-000.y4m}, {@code clip-001.y4m}, ... in {@code outDir}. Streams: one frame in memory at a time.
     */
    public static List<Path> split(Path input, Path outDir, int clipSeconds, ClipListener listener) throws IOException {
        if (clipSeconds <= 0) {
            throw new IllegalArgumentException("clip_seconds must be at least 1, got " + clipSeconds);
        }
        Files.createDirectories(outDir);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(input))) {
            Header header = readHeader(in);
            // For progress only: assumes plain "FRAME" lines, as most writers (and generate) use.
            long frameCount = (Files.size(input) - header.headerLine().length() - 1)
                              / (header.frameBytes() + "FRAME\n".length());
            int framesPerClip = clipSeconds * header.fps();
            int total = (int) Math.max(1, (frameCount + framesPerClip - 1) / framesPerClip);
            byte[] frame = new byte[header.frameBytes()];
            List<Path> clips = new ArrayList<>(total);
            boolean more = readFrame(in, frame);
            while (more) {
                Path clip = outDir.resolve(String.format("clip-%03d.y4m", clips.size()));
                try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(clip))) {
                    out.write((header.headerLine() + "\n").getBytes(StandardCharsets.US_ASCII));
                    for (int f = 0; f < framesPerClip && more; f++) {
                        out.write("FRAME\n".getBytes(StandardCharsets.US_ASCII));
                        out.write(frame);
                        more = readFrame(in, frame);
                    }
                }
                clips.add(clip);
                listener.clipWritten(clips.size(), Math.max(total, clips.size()));
            }
            return clips;
        }
    }

    private static Header readHeader(InputStream in) throws IOException {
        String line = readLine(in);
        if (line == null || !line.startsWith("YUV4MPEG2 ")) {
            throw new IOException("not a YUV4MPEG2 file");
        }
        int width = 0;
        int height = 0;
        int fps = 0;
        for (String token : line.split(" ")) {
            if (token.startsWith("W")) {
                width = Integer.parseInt(token.substring(1));
            } else if (token.startsWith("H")) {
                height = Integer.parseInt(token.substring(1));
            } else if (token.startsWith("F")) {
                String[] ratio = token.substring(1).split(":");
                fps = Integer.parseInt(ratio[0]) / Integer.parseInt(ratio[1]);
            } else if (token.startsWith("C") && !token.startsWith("C420")) {
                throw new IOException("only 4:2:0 video is supported, got " + token);
            }
        }
        if (width <= 0 || height <= 0 || fps <= 0) {
            throw new IOException("YUV4MPEG2 header lacks width, height or frame rate: " + line);
        }
        return new Header(line, width, height, fps);
    }

    /** Reads one {@code FRAME} line and the frame's planes; false at the end of the file. */
    private static boolean readFrame(InputStream in, byte[] frame) throws IOException {
        String line = readLine(in);
        if (line == null) {
            return false;
        }
        if (!line.startsWith("FRAME")) {
            throw new IOException("expected a FRAME line, got: " + line);
        }
        if (in.readNBytes(frame, 0, frame.length) != frame.length) {
            throw new IOException("truncated frame");
        }
        return true;
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.US_ASCII);
            }
            if (line.size() == MAX_LINE) {
                throw new IOException("header line longer than " + MAX_LINE + " bytes");
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.US_ASCII);
    }
}
