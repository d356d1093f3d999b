package dev.brownout.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventHubTest {

  private final EventHub hub = new EventHub(4, 8);

  @Test
  void eventsAreNumberedInOrderAndFramedForServerSentEvents() throws Exception {
    EventHub.Client client = hub.subscribe(null);
    hub.publish("level", "{\"level\":1}");
    hub.publish("summary", "{}");

    EventHub.Event first = client.next(0);
    assertThat(first.id()).isEqualTo(1);
    assertThat(new String(first.frame(), StandardCharsets.UTF_8))
        .isEqualTo("id: " + hub.wireId(1) + "\nevent: level\ndata: {\"level\":1}\n\n");
    assertThat(hub.wireId(1)).matches("[0-9a-z]{7,8}-1");
    assertThat(client.next(0).id()).isEqualTo(2);
    assertThat(client.next(0)).isNull();
  }

  @Test
  void aReconnectReplaysTheEventsAfterItsLastIdThenGoesLive() throws Exception {
    for (int i = 1; i <= 3; i++) {
      hub.publish("level", "{\"level\":" + i + "}");
    }

    EventHub.Client client = hub.subscribe(hub.wireId(1));
    hub.publish("level", "{\"level\":4}");

    assertThat(drain(client)).containsExactly(2L, 3L, 4L);
  }

  @Test
  void aReconnectWhoseEventsLeftTheRingGetsOneResetCarryingTheCurrentId() throws Exception {
    for (int i = 1; i <= 10; i++) {
      hub.publish("summary", "{}");
    }

    EventHub.Client client = hub.subscribe(hub.wireId(2));

    EventHub.Event reset = client.next(0);
    assertThat(reset.name()).isEqualTo("reset");
    assertThat(reset.id()).isEqualTo(10);
    assertThat(client.next(0)).isNull();
  }

  @Test
  void anIdFromTheFutureOrOfAnotherHubGetsAReset() throws Exception {
    hub.publish("summary", "{}");

    assertThat(hub.subscribe(hub.wireId(99)).next(0).name()).isEqualTo("reset");
    assertThat(hub.subscribe("-1").next(0).name()).isEqualTo("reset");
    assertThat(hub.subscribe("1").next(0).name()).as("a bare number").isEqualTo("reset");
    assertThat(hub.subscribe(new EventHub(4, 8).wireId(1)).next(0).name())
        .as("another hub's id, such as an admin's before a restart")
        .isEqualTo("reset");
    assertThat(hub.subscribe(hub.wireId(1)).next(0)).isNull(); // up to date
  }

  @Test
  void aClientThatFallsBehindIsDroppedWithoutHoldingUpTheOthers() throws Exception {
    EventHub.Client slow = hub.subscribe(null);
    EventHub.Client fast = hub.subscribe(null);
    List<Long> seenByFast = new ArrayList<>();

    for (int i = 1; i <= 20; i++) {
      hub.publish("summary", "{}");
      seenByFast.add(fast.next(0).id());
    }

    assertThat(seenByFast).hasSize(20);
    assertThat(hub.clients()).isEqualTo(1);
    assertThat(EventHub.isEnd(slow.next(0))).isTrue();
  }

  @Test
  void closingEndsEveryStreamAndRefusesNewOnes() throws Exception {
    EventHub.Client client = hub.subscribe(null);

    hub.close();
    hub.publish("summary", "{}");

    assertThat(EventHub.isEnd(client.next(0))).isTrue();
    assertThat(hub.subscribe(null)).isNull();
  }

  private static List<Long> drain(EventHub.Client client) throws InterruptedException {
    List<Long> ids = new ArrayList<>();
    for (EventHub.Event event = client.next(0); event != null; event = client.next(0)) {
      ids.add(event.id());
    }
    return ids;
  }
}
