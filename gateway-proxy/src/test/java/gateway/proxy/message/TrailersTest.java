package gateway.proxy.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** RFC 9110 6.5.1: a recipient may discard trailer fields; the gateway passes none on. */
class TrailersTest {

  @Test
  void theLastPartLosesItsTrailerFieldsAndKeepsItsContent() {
    DefaultLastHttpContent last =
        new DefaultLastHttpContent(Unpooled.copiedBuffer("end", StandardCharsets.US_ASCII));
    last.trailingHeaders().add("Expires", "0");

    HttpContent stripped = Trailers.strip(last);

    assertThat(stripped).isInstanceOf(LastHttpContent.class);
    assertThat(((LastHttpContent) stripped).trailingHeaders().isEmpty()).isTrue();
    assertThat(stripped.content().toString(StandardCharsets.US_ASCII)).isEqualTo("end");
    stripped.release();
  }

  @Test
  void aPartWithoutTrailerFieldsPassesAsItIs() {
    HttpContent middle =
        new DefaultHttpContent(Unpooled.copiedBuffer("a", StandardCharsets.US_ASCII));
    LastHttpContent last = new DefaultLastHttpContent();

    assertThat(Trailers.strip(middle)).isSameAs(middle);
    assertThat(Trailers.strip(last)).isSameAs(last);
    middle.release();
    last.release();
  }
}
