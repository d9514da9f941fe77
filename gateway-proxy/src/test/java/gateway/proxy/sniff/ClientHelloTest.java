package gateway.proxy.sniff;

import static gateway.proxy.sniff.Hellos.ascii;
import static gateway.proxy.sniff.Hellos.clientHello;
import static gateway.proxy.sniff.Hellos.entry;
import static gateway.proxy.sniff.Hellos.extension;
import static gateway.proxy.sniff.Hellos.records;
import static gateway.proxy.sniff.Hellos.serverName;
import static gateway.proxy.sniff.Hellos.serverNameList;
import static org.assertj.core.api.Assertions.assertThat;

import gateway.proxy.sniff.ClientHello.NeedMore;
import gateway.proxy.sniff.ClientHello.NoSni;
import gateway.proxy.sniff.ClientHello.NotTls;
import gateway.proxy.sniff.ClientHello.Result;
import gateway.proxy.sniff.ClientHello.Sni;
import gateway.proxy.sniff.ClientHello.TooLarge;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reading the server name from a TLS ClientHello (RFC 8446 4.1.2, 4.2, 5.1; RFC 6066 3), from real
 * hellos the JDK writes, fed as the stream prefix a connection would deliver: cut at every byte,
 * spread over records, larger than the bound, corrupted, and from clients that do not speak TLS.
 */
class ClientHelloTest {
  static final int MAX = 16 * 1024;

  /** Mixed case as an application may write it; TLS carries it as is, the reader lower-cases. */
  static final String NAME = "Origin.Example";

  static final Sni SNI = new Sni("origin.example");

  static Stream<Arguments> jdkHellos() throws GeneralSecurityException {
    return Stream.of(
        Arguments.of("TLSv1.3", Hellos.jdk("TLSv1.3", NAME)),
        Arguments.of("TLSv1.2", Hellos.jdk("TLSv1.2", NAME)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdkHellos")
  void aRealHelloGivesItsServerNameLowerCase(String protocol, byte[] hello) {
    assertThat(ClientHello.read(hello, hello.length, MAX)).isEqualTo(SNI);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdkHellos")
  void everyShorterPrefixNeedsMore(String protocol, byte[] hello) {
    for (int n = 0; n < hello.length; n++) {
      assertThat(ClientHello.read(hello, n, MAX))
          .as("%d of %d bytes", n, hello.length)
          .isEqualTo(new NeedMore());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdkHellos")
  void bytesAfterTheHelloAreNotLookedAt(String protocol, byte[] hello) {
    // RFC 8446 D.4: a middlebox-compatible client may send change_cipher_spec right after.
    byte[] stream = Hellos.concat(hello, new byte[] {0x14, 0x03, 0x03, 0x00, 0x01, 0x01});

    assertThat(ClientHello.read(stream, stream.length, MAX)).isEqualTo(SNI);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdkHellos")
  void aHelloSplitIntoTwoRecordsAtAnyByte(String protocol, byte[] hello) {
    // RFC 8446 5.1: a handshake message may be fragmented across records.
    byte[] handshake = Hellos.handshake(hello);
    for (int cut = 1; cut < handshake.length; cut++) {
      byte[] two = records(handshake, cut);
      assertThat(ClientHello.read(two, two.length, MAX)).as("cut at %d", cut).isEqualTo(SNI);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdkHellos")
  void aHelloInTwoRecordsNeedsMoreUntilItsLastByte(String protocol, byte[] hello) {
    byte[] handshake = Hellos.handshake(hello);
    // Inside the handshake header, right after it, inside the fixed fields, in the middle, the end.
    for (int cut : new int[] {1, 3, 4, 5, 40, handshake.length / 2, handshake.length - 1}) {
      byte[] two = records(handshake, cut);
      for (int n = 0; n < two.length; n++) {
        assertThat(ClientHello.read(two, n, MAX))
            .as("cut at %d, %d bytes", cut, n)
            .isEqualTo(new NeedMore());
      }
      assertThat(ClientHello.read(two, two.length, MAX)).isEqualTo(SNI);
    }
  }

  @Test
  void aHelloInOneRecordPerByte() {
    byte[] handshake = clientHello(serverName("a.example"));
    int[] everyByte = IntStream.range(1, handshake.length).toArray();
    byte[] stream = records(handshake, everyByte);

    assertThat(ClientHello.read(stream, stream.length, MAX)).isEqualTo(new Sni("a.example"));
    assertThat(ClientHello.read(stream, stream.length - 1, MAX)).isEqualTo(new NeedMore());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdkHellos")
  void aHelloLargerThanMaxIsTooLargeAsSoonAsItsLengthShowsIt(String protocol, byte[] hello) {
    int bound = hello.length - 1;

    assertThat(ClientHello.read(hello, hello.length, bound)).isEqualTo(new TooLarge());
    // The record header and the handshake header (5 + 4 bytes) already say how long it is.
    assertThat(ClientHello.read(hello, 8, bound)).isEqualTo(new NeedMore());
    assertThat(ClientHello.read(hello, 9, bound)).isEqualTo(new TooLarge());
    assertThat(ClientHello.read(hello, hello.length, hello.length)).isEqualTo(SNI);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdkHellos")
  void maxCountsTheHeadersOfEveryRecord(String protocol, byte[] hello) {
    byte[] handshake = Hellos.handshake(hello);
    byte[] two = records(handshake, handshake.length / 2);

    assertThat(ClientHello.read(two, two.length, two.length)).isEqualTo(SNI);
    assertThat(ClientHello.read(two, two.length, two.length - 1)).isEqualTo(new TooLarge());
    // Known from the handshake header: what remains needs a second record and its header.
    assertThat(ClientHello.read(two, 9, two.length - 1)).isEqualTo(new TooLarge());
    assertThat(ClientHello.read(two, 9, two.length)).isEqualTo(new NeedMore());
  }

  @Test
  void aHandshakeLengthBeyondAnyBoundIsTooLargeAtOnce() {
    byte[] start = {0x16, 0x03, 0x01, 0x40, 0x00, 0x01, (byte) 0xff, (byte) 0xff, (byte) 0xff};

    assertThat(ClientHello.read(start, start.length, MAX)).isEqualTo(new TooLarge());
  }

  @Test
  void aRealHelloWithoutServerNameIsNoSni() throws GeneralSecurityException {
    for (String protocol : List.of("TLSv1.3", "TLSv1.2")) {
      byte[] hello = Hellos.jdk(protocol, null);
      assertThat(ClientHello.read(hello, hello.length, MAX)).as(protocol).isEqualTo(new NoSni());
    }
  }

  static Stream<Arguments> builtHellos() {
    String label63 = "a".repeat(63);
    String name255 = String.join(".", label63, label63, label63, label63);
    return Stream.of(
        // RFC 5246 7.4.1.2: the extensions block may be absent
        row("no extensions at all", clientHello((byte[][]) null), new NoSni()),
        row("an empty extensions block", clientHello(), new NoSni()),
        row(
            "other extensions only",
            clientHello(extension(10, new byte[] {0, 2, 0, 29})),
            new NoSni()),
        // RFC 6066 3: host_name(0) is the one type defined; others are skipped
        row(
            "a name_type other than host_name",
            clientHello(extension(0, serverNameList(entry(1, ascii("x"))))),
            new NoSni()),
        row(
            "host_name after another name_type",
            clientHello(
                extension(0, serverNameList(entry(1, ascii("x")), entry(0, ascii("b.example"))))),
            new Sni("b.example")),
        row(
            "two host_names",
            clientHello(
                extension(
                    0, serverNameList(entry(0, ascii("a.example")), entry(0, ascii("b.example"))))),
            notTls()),
        // RFC 8446 4.2: no extension twice in one block
        row(
            "server_name twice",
            clientHello(serverName("a.example"), serverName("b.example")),
            notTls()),
        row("an empty server_name_list", clientHello(extension(0, serverNameList())), notTls()),
        row("an empty server_name extension", clientHello(extension(0, new byte[0])), notTls()),
        // HostName <1..2^16-1>, a DNS host name
        row("an empty host_name", clientHello(serverName("")), notTls()),
        row("upper case", clientHello(serverName("WWW.Example.ORG")), new Sni("www.example.org")),
        row(
            "a trailing dot",
            clientHello(serverName("www.example.org.")),
            new Sni("www.example.org")),
        row("only a dot", clientHello(serverName(".")), notTls()),
        row("two trailing dots", clientHello(serverName("example.org..")), notTls()),
        row("an empty label", clientHello(serverName("www..example.org")), notTls()),
        row("a leading dot", clientHello(serverName(".example.org")), notTls()),
        row(
            "punycode",
            clientHello(serverName("xn--bcher-kva.example")),
            new Sni("xn--bcher-kva.example")),
        row(
            "digits and hyphens",
            clientHello(serverName("a-1.b2.example")),
            new Sni("a-1.b2.example")),
        row(
            "an IPv4 literal passes as a name",
            clientHello(serverName("198.18.100.1")),
            new Sni("198.18.100.1")),
        row("an underscore", clientHello(serverName("my_host.example")), notTls()),
        row("a space", clientHello(serverName("a b.example")), notTls()),
        row("a NUL", clientHello(serverName("evil.example\0good.example")), notTls()),
        row(
            "a UTF-8 byte",
            clientHello(
                extension(
                    0,
                    serverNameList(
                        entry(0, new byte[] {'b', (byte) 0xc3, (byte) 0xbc, '.', 'x'})))),
            notTls()),
        row(
            "a label of 63",
            clientHello(serverName(label63 + ".example")),
            new Sni(label63 + ".example")),
        row("a label of 64", clientHello(serverName("a" + label63 + ".example")), notTls()),
        row("255 bytes", clientHello(serverName(name255)), new Sni(name255)),
        row(
            "256 bytes: 255 and the trailing dot",
            clientHello(serverName(name255 + ".")),
            notTls()),
        row(
            "254 bytes: 253 and the trailing dot",
            clientHello(serverName(name255.substring(2) + ".")),
            new Sni(name255.substring(2))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("builtHellos")
  void builtHellos(String shape, byte[] handshake, Result expected) {
    byte[] stream = records(handshake);

    assertSameKind(ClientHello.read(stream, stream.length, MAX), expected);
  }

  static Stream<Arguments> corruptions() throws GeneralSecurityException {
    return Stream.of("TLSv1.3", "TLSv1.2").flatMap(ClientHelloTest::corruptionsOf);
  }

  private static Stream<Arguments> corruptionsOf(String protocol) {
    byte[] hello;
    try {
      hello = Hellos.jdk(protocol, NAME);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    int recordLength = u16(hello, 3);
    int handshakeLength = u16(hello, 7); // a JDK hello is below 64 KiB: byte 6 is zero
    int sessionId = 43; // 5 record + 4 handshake + 2 legacy_version + 32 random
    int suites = sessionId + 1 + (hello[sessionId] & 0xff);
    int name = Hellos.indexOf(hello, ascii(NAME));
    int extensions = name - 9; // type(2) length(2) list length(2) name_type(1) name length(2)
    String p = protocol + ": ";
    return Stream.of(
        // RFC 8446 5.1: records of 1..2^14 bytes
        row(p + "record length 0", set16(hello, 3, 0), notTls()),
        row(p + "record length 2^14+1", set16(hello, 3, (1 << 14) + 1), notTls()),
        // the hello is complete inside the record: what follows it is not looked at
        row(p + "record length one more", set16(hello, 3, recordLength + 1), SNI),
        row(p + "record type alert", set8(hello, 0, 21), notTls()),
        row(p + "record version 3.5", set8(hello, 2, 5), notTls()),
        // RFC 8446 4: the first message must be a client_hello(1)
        row(p + "handshake type server_hello", set8(hello, 5, 2), notTls()),
        row(p + "handshake length one more", set16(hello, 7, handshakeLength + 1), new NeedMore()),
        row(p + "handshake length one less", set16(hello, 7, handshakeLength - 1), notTls()),
        row(p + "handshake length 0", set16(hello, 7, 0), notTls()),
        // RFC 8446 4.1.2: the fixed fields
        row(p + "legacy_version 2.0", set8(hello, 9, 2), notTls()),
        row(p + "legacy_session_id of 33", set8(hello, sessionId, 33), notTls()),
        row(p + "cipher_suites odd", set16(hello, suites, u16(hello, suites) + 1), notTls()),
        row(p + "cipher_suites empty", set16(hello, suites, 0), notTls()),
        // RFC 8446 4.2: the extensions fill the message exactly
        row(
            p + "server_name length one more",
            set16(hello, extensions + 2, u16(hello, extensions + 2) + 1),
            notTls()),
        row(
            p + "server_name length one less",
            set16(hello, extensions + 2, u16(hello, extensions + 2) - 1),
            notTls()),
        row(
            p + "server_name_list length one more",
            set16(hello, name - 5, u16(hello, name - 5) + 1),
            notTls()),
        row(
            p + "server_name_list length one less",
            set16(hello, name - 5, u16(hello, name - 5) - 1),
            notTls()),
        row(p + "host_name length 0", set16(hello, name - 2, 0), notTls()),
        row(p + "host_name length one more", set16(hello, name - 2, NAME.length() + 1), notTls()),
        row(p + "name_type 1", set8(hello, name - 3, 1), new NoSni()),
        row(
            p + "server_name renamed to an unknown extension",
            set16(hello, extensions, 0x7777),
            new NoSni()),
        // RFC 6066 3: a DNS host name
        row(p + "an underscore in the name", set8(hello, name + 2, '_'), notTls()),
        row(p + "an empty label", set8(hello, name + 7, '.'), notTls()),
        row(
            p + "a trailing dot",
            set8(hello, name + NAME.length() - 1, '.'),
            new Sni("origin.exampl")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corruptions")
  void aCorruptedHello(String corruption, byte[] stream, Result expected) {
    assertSameKind(ClientHello.read(stream, stream.length, MAX), expected);
  }

  /** Fixed seeds: a failure names its seed and its bytes, and the same run repeats it. */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987, 1597})
  void randomCorruptionsGiveAResultAndNeverThrow(long seed) throws GeneralSecurityException {
    Random random = new Random(seed);
    List<byte[]> hellos =
        List.of(
            Hellos.jdk("TLSv1.3", NAME),
            Hellos.jdk("TLSv1.2", NAME),
            records(clientHello(serverName("a.example")), 3, 20));
    for (int round = 0; round < 500; round++) {
      byte[] original = hellos.get(random.nextInt(hellos.size()));
      byte[] stream = mutate(original, random);
      int length = random.nextInt(4) == 0 ? random.nextInt(stream.length + 1) : stream.length;
      int max = random.nextInt(4) == 0 ? random.nextInt(stream.length + 10) : MAX;
      String what =
          "seed "
              + seed
              + " round "
              + round
              + " length "
              + length
              + " max "
              + max
              + ": "
              + HexFormat.of().formatHex(stream);

      Result first = ClientHello.read(stream, length, max);

      assertThat(first).as(what).isNotNull();
      assertThat(ClientHello.read(stream, length, max)).as(what).isEqualTo(first);
      if (first instanceof Sni sni) {
        assertThat(sni.name()).as(what).matches("[a-z0-9-]+(\\.[a-z0-9-]+)*");
      }
    }
  }

  /** One to four changes: a random byte anywhere, or a length field near the start made random. */
  private static byte[] mutate(byte[] original, Random random) {
    byte[] b = original.clone();
    int changes = 1 + random.nextInt(4);
    for (int i = 0; i < changes; i++) {
      switch (random.nextInt(3)) {
        case 0 -> b[random.nextInt(b.length)] = (byte) random.nextInt(256);
        case 1 -> {
          int at = List.of(3, 6, 7, 43, 44, 45).get(random.nextInt(6));
          b[at] = (byte) random.nextInt(256);
        }
        default -> {
          int at = random.nextInt(b.length - 1);
          b[at] ^= (byte) (1 << random.nextInt(8));
        }
      }
    }
    return b;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "GET / HTTP/1.1\r\nHost: origin.example\r\n\r\n",
        "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n",
        "\u0080\u002e\u0001\u0003\u0001", // an SSLv2-style hello
        "\u0015\u0003\u0003\u0000\u0002\u0002\u0028" // a TLS alert record
      })
  void aClientThatDoesNotSpeakTlsIsNotTlsFromItsFirstByte(String first) {
    byte[] stream = ascii(first);

    assertThat(ClientHello.read(stream, 0, MAX)).isEqualTo(new NeedMore());
    for (int n = 1; n <= stream.length; n++) {
      assertThat(ClientHello.read(stream, n, MAX)).as("%d bytes", n).isInstanceOf(NotTls.class);
    }
  }

  @Test
  void aNonHandshakeRecordInsideTheHelloIsNotTls() {
    // RFC 8446 5.1: handshake messages must not be interleaved with other record types.
    byte[] handshake = clientHello(serverName("a.example"));
    byte[] first = Arrays.copyOf(records(handshake, 10), 5 + 10);
    byte[] alert = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28};
    byte[] stream = Hellos.concat(first, alert);

    assertThat(ClientHello.read(stream, stream.length, MAX))
        .isEqualTo(new NotTls("a non-handshake record in the hello: content type 21"));
  }

  @Test
  void notTlsSaysWhichRuleTheBytesBreak() {
    byte[] stream = records(clientHello(serverName("my_host.example")));

    assertThat(ClientHello.read(stream, stream.length, MAX))
        .isEqualTo(new NotTls("host_name with the byte 0x5f"));
  }

  private static void assertSameKind(Result actual, Result expected) {
    if (expected instanceof NotTls) {
      assertThat(actual).isInstanceOf(NotTls.class);
    } else {
      assertThat(actual).isEqualTo(expected);
    }
  }

  private static NotTls notTls() {
    return new NotTls("any reason");
  }

  private static Arguments row(String name, byte[] bytes, Result expected) {
    return Arguments.of(name, bytes, expected);
  }

  private static int u16(byte[] b, int at) {
    return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
  }

  private static byte[] set8(byte[] original, int at, int value) {
    byte[] b = original.clone();
    b[at] = (byte) value;
    return b;
  }

  private static byte[] set16(byte[] original, int at, int value) {
    byte[] b = original.clone();
    b[at] = (byte) (value >> 8);
    b[at + 1] = (byte) value;
    return b;
  }
}
