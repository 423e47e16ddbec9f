package io.github.webpubsub.emulator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * A WebSocket client on a blocking socket that writes everything it has before it reads anything,
 * as a simple synchronous client does. Its send buffer is small, so a large frame stays in flight
 * while the emulator answers, as on a real network (over loopback a whole 1 MiB frame may fit in
 * the socket buffers at once, which hides what a client on a network sees).
 */
final class RawWebSocket implements AutoCloseable {

  private static final int SEND_BUFFER = 16 * 1024;

  private static final int MAX_HEAD = 8 * 1024;

  /** The emulator's frames here are system messages and close frames, all small. */
  private static final int MAX_SERVER_FRAME = 64 * 1024;

  private final Socket socket;

  private final InputStream in;

  private RawWebSocket(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
  }

  /** Connects to a {@code ws://} URI (its query carries the token) and completes the handshake. */
  static RawWebSocket connect(URI uri, String protocol) throws IOException {
    Socket socket = new Socket();
    try {
      socket.setSendBufferSize(SEND_BUFFER);
      socket.setSoTimeout(10_000);
      socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 10_000);
      RawWebSocket client = new RawWebSocket(socket);
      String request =
          "GET "
              + uri.getRawPath()
              + "?"
              + uri.getRawQuery()
              + " HTTP/1.1\r\nHost: "
              + uri.getHost()
              + ":"
              + uri.getPort()
              + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
              + "Sec-WebSocket-Protocol: "
              + protocol
              + "\r\n\r\n";
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      String head = client.readHead();
      if (!head.startsWith("HTTP/1.1 101 ")) {
        throw new IOException("No upgrade: " + head.lines().findFirst().orElse(""));
      }
      return client;
    } catch (IOException | RuntimeException ex) {
      socket.close();
      throw ex;
    }
  }

  private String readHead() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (head.size() < MAX_HEAD) {
      int b = this.in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
      String text = head.toString(StandardCharsets.US_ASCII);
      if (text.endsWith("\r\n\r\n")) {
        return text;
      }
    }
    throw new IOException("No complete response head");
  }

  /** A client frame, masked (with a zero key, which leaves the payload as it is). */
  static byte[] frame(int finRsvOpcode, byte[] payload) {
    return frame(finRsvOpcode, payload, true);
  }

  /** A client frame; {@code masked} false breaks RFC 6455 section 5.1. */
  static byte[] frame(int finRsvOpcode, byte[] payload, boolean masked) {
    int length = payload.length;
    int extended = (length < 126) ? 0 : (length <= 0xFFFF) ? 2 : 8;
    int maskBytes = masked ? 4 : 0;
    byte[] frame = new byte[2 + extended + maskBytes + length];
    frame[0] = (byte) finRsvOpcode;
    int lengthBits = (extended == 0) ? length : (extended == 2) ? 126 : 127;
    frame[1] = (byte) ((masked ? 0x80 : 0) | lengthBits);
    for (int i = 0; i < extended; i++) {
      frame[2 + i] = (byte) (((long) length) >>> (8 * (extended - 1 - i)));
    }
    System.arraycopy(payload, 0, frame, 2 + extended + maskBytes, length);
    return frame;
  }

  /** The frames one after the other, as one write. */
  static byte[] concat(byte[]... frames) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (byte[] frame : frames) {
      all.writeBytes(frame);
    }
    return all.toByteArray();
  }

  /**
   * Writes all the bytes, blocking while the emulator does not read them.
   *
   * @return null, or why the write failed (the emulator reset the connection)
   */
  @Nullable IOException sendAll(byte[] bytes) {
    try {
      this.socket.getOutputStream().write(bytes);
      this.socket.getOutputStream().flush();
      return null;
    } catch (IOException ex) {
      return ex;
    }
  }

  /** Writes the bytes; false, and nothing more written, once the connection is gone. */
  boolean trySend(byte[] bytes) {
    return sendAll(bytes) == null;
  }

  /** Reads the emulator's frames (skipping data frames) up to its close frame: its status code. */
  int readCloseStatus() throws IOException {
    while (true) {
      int first = readByte();
      int second = readByte();
      long length = second & 0x7F;
      if (length == 126) {
        length = (readByte() << 8) | readByte();
      } else if (length == 127) {
        length = 0;
        for (int i = 0; i < 8; i++) {
          length = (length << 8) | readByte();
        }
      }
      if ((second & 0x80) != 0 || length > MAX_SERVER_FRAME) {
        throw new IOException("Unexpected server frame header " + first + " " + second);
      }
      byte[] payload = this.in.readNBytes((int) length);
      if (payload.length != length) {
        throw new IOException("The connection ended inside a frame");
      }
      if ((first & 0x0F) == 0x8) {
        return (payload.length < 2) ? 1005 : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
      }
    }
  }

  /**
   * Reads on after the close frame: true if the emulator then ended the connection in order (a FIN,
   * read as the end of the stream), false if it sent more bytes. A reset throws.
   */
  boolean endsInOrder() throws IOException {
    return this.in.read() < 0;
  }

  private int readByte() throws IOException {
    int b = this.in.read();
    if (b < 0) {
      throw new IOException("The connection ended before the close frame");
    }
    return b;
  }

  @Override
  public void close() throws IOException {
    this.socket.close();
  }
}
