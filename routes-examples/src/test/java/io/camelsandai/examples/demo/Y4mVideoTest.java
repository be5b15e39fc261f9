package io.camelsandai.examples.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class Y4mVideoTest {
    @TempDir
    Path dir;

    @Test
    void splitsIntoFixedLengthClipsThatTogetherHoldEveryFrame() throws IOException {
        Path video = Y4mVideo.generate(dir.resolve("in.y4m"), 16, 8, 5, 7); // 35 frames
        Y4mVideo.Header header = Y4mVideo.header(video);
        List<String> progress = new ArrayList<>();

        List<Path> clips = Y4mVideo.split(video, dir.resolve("clips"), 3, (done, total) -> progress.add(done + "/" + total));

        assertEquals(List.of("1/3", "2/3", "3/3"), progress);
        long frame = header.frameBytes() + "FRAME\n".length();
        long headerBytes = header.headerLine().length() + 1;
        assertEquals(headerBytes + 15 * frame, Files.size(clips.get(0)));
        assertEquals(headerBytes + 15 * frame, Files.size(clips.get(1)));
        assertEquals(headerBytes + 5 * frame, Files.size(clips.get(2)), "the last clip holds the rest");
        // Joined again (one header), the clips are the input byte for byte.
        byte[] joined = Files.readAllBytes(clips.get(0));
        for (Path clip : clips.subList(1, clips.size())) {
            byte[] bytes = Files.readAllBytes(clip);
            byte[] next = new byte[joined.length + bytes.length - (int) headerBytes];
            System.arraycopy(joined, 0, next, 0, joined.length);
            System.arraycopy(bytes, (int) headerBytes, next, joined.length, bytes.length - (int) headerBytes);
            joined = next;
        }
        assertArrayEquals(Files.readAllBytes(video), joined);
    }

    @Test
    void refusesWhatIsNotAY4mVideo() throws IOException {
        Path notVideo = Files.writeString(dir.resolve("x.y4m"), "hello\n");
        assertThrows(IOException.class, () -> Y4mVideo.split(notVideo, dir.resolve("clips"), 1, (d, t) -> { }));
        Path video = Y4mVideo.generate(dir.resolve("in.y4m"), 16, 8, 5, 1);
        assertThrows(IllegalArgumentException.class, () -> Y4mVideo.split(video, dir.resolve("c"), 0, (d, t) -> { }));
    }
}
