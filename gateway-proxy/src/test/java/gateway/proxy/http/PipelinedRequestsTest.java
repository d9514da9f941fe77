package gateway.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What one pipelining client can make the gateway hold: at most a fixed number of requests. */
class PipelinedRequestsTest {

  @ParameterizedTest(name = "{0} requests pipelined, at most {1} waiting: {2} taken")
  @CsvSource({
    "1,    4, 1",
    "4,    4, 4",
    "5,    4, 4",
    "1000, 4, 4",
    "1000, 128, 128",
  })
  void takesRequestsUpToTheLimitAndReleasesTheRest(int sent, int max, int taken) {
    PipelinedRequests queue = new PipelinedRequests(max);
    List<HttpContent> bodies = new ArrayList<>();
    for (int i = 0; i < sent; i++) {
      queue.add(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/r" + i));
      HttpContent body = new DefaultHttpContent(Unpooled.buffer(8).writeLong(i));
      bodies.add(body);
      queue.add(body);
      queue.add(LastHttpContent.EMPTY_LAST_CONTENT);
    }

    assertThat(queue.waiting()).isEqualTo(taken);
    assertThat(queue.full()).isEqualTo(sent > max);
    // Every part turned away is released at once: nothing of it is held.
    for (int i = taken; i < sent; i++) {
      assertThat(bodies.get(i).refCnt()).isZero();
    }
    for (int i = 0; i < taken; i++) {
      assertThat(((DefaultHttpRequest) queue.poll()).uri()).isEqualTo("/r" + i);
      assertThat(queue.lastTaken()).isEqualTo(sent > max && i == taken - 1);
      HttpContent body = (HttpContent) queue.poll();
      assertThat(body.content().readLong()).isEqualTo(i);
      body.release();
      assertThat(queue.poll()).isSameAs(LastHttpContent.EMPTY_LAST_CONTENT);
    }
    assertThat(queue.isEmpty()).isTrue();
  }

  @Test
  void onceFullEverythingThatFollowsIsReleasedEvenWhenTheQueueHasEmptied() {
    PipelinedRequests queue = new PipelinedRequests(1);
    queue.add(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/taken"));
    queue.add(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/turned-away"));
    queue.poll();
    HttpContent late = new DefaultHttpContent(Unpooled.buffer(1).writeByte(1));

    assertThat(queue.add(late)).isFalse();
    assertThat(late.refCnt()).isZero();
    assertThat(queue.lastTaken()).isTrue();
  }

  @Test
  void releaseAllLetsGoOfWhatWaits() {
    PipelinedRequests queue = new PipelinedRequests(4);
    HttpContent body = new DefaultHttpContent(Unpooled.buffer(1).writeByte(1));
    queue.add(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/a"));
    queue.add(body);

    queue.releaseAll();

    assertThat(body.refCnt()).isZero();
    assertThat(queue.isEmpty()).isTrue();
    assertThat(queue.waiting()).isZero();
  }
}
