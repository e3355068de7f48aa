package dev.faultline.peer.http;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import dev.faultline.detector.MonotonicClock;
import dev.faultline.detector.PhiAccrualFailureDetector;
import dev.faultline.detector.PhiAccrualSettings;
import dev.faultline.peer.HeartbeatMode;
import dev.faultline.peer.HeartbeatSettings;
import dev.faultline.peer.LocalPauseWatch;
import dev.faultline.peer.PeerInstance;
import dev.faultline.peer.ProbeResult;
import dev.faultline.peer.TestPeerServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.http.client.SimpleClientHttpRequestFactory;

import static org.assertj.core.api.Assertions.assertThat;

class HttpHeartbeatProbeTests {

	private final TestPeerServer server = TestPeerServer.start();

	private final HttpHeartbeatProbe probe = new HttpHeartbeatProbe((peer) -> {
		SimpleClientHttpRequestFactory factory = new SimpleClientHttpRequestFactory();
		factory.setConnectTimeout(Duration.ofMillis(1000));
		factory.setReadTimeout(Duration.ofMillis(1000));
		return factory;
	});

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@AfterEach
	void closeProbe() throws Exception {
		this.probe.close();
	}

	@Test
	void probeWhenPeerAnswers2xxReportsTheStatus() {
		assertThat(this.probe.probe(instanceAt(this.server.uri())).join()).isEqualTo(ProbeResult.answered(200));
		assertThat(this.server.requests()).isEqualTo(1);
	}

	@Test
	void probeWhenPeerAnswers404ReportsTheStatus() {
		this.server.answer(404);

		assertThat(this.probe.probe(instanceAt(this.server.uri())).join()).isEqualTo(ProbeResult.answered(404));
	}

	@Test
	void probeWhenPeerAnswers503ReportsTheStatus() {
		this.server.answer(503);

		assertThat(this.probe.probe(instanceAt(this.server.uri())).join()).isEqualTo(ProbeResult.answered(503));
	}

	@Test
	void probeWhenConnectionRefusedReportsNoAnswer() {
		URI uri = this.server.uri();
		this.server.stop();

		assertThat(this.probe.probe(instanceAt(uri)).join()).isEqualTo(ProbeResult.noAnswer("connection refused"));
	}

	@Test
	void probeWhenPeerHangsReportsNoAnswerAfterTheTimeout() {
		this.server.hang();
		long start = System.nanoTime();

		assertThat(this.probe.probe(instanceAt(this.server.uri())).join())
			.isEqualTo(ProbeResult.noAnswer("no answer within 1000 ms"));
		// Bounded by the timeout, not by the peer: generous slack for a loaded machine.
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
	}

	@Test
	void closedProbeLeavesNoThreadOfItsOwn() throws Exception {
		assertThat(this.probe.probe(instanceAt(this.server.uri())).join()).isEqualTo(ProbeResult.answered(200));
		assertThat(probeThreads()).isNotEmpty();

		this.probe.close();

		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> probeThreads().isEmpty());
	}

	@Test
	void closedProbeAnswersNoAnswerInsteadOfThrowing() throws Exception {
		this.probe.close();

		assertThat(this.probe.probe(instanceAt(this.server.uri())).join()).isEqualTo(ProbeResult.noAnswer("probe closed"));
	}

	private List<String> probeThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter(Thread::isAlive)
			.map(Thread::getName)
			.filter((name) -> name.startsWith(this.probe.threadNamePrefix()))
			.toList();
	}

	private static PeerInstance instanceAt(URI uri) {
		HeartbeatSettings settings = new HeartbeatSettings("/actuator/health/liveness", Duration.ofSeconds(1),
				Duration.ofMillis(1000), HeartbeatMode.ACTIVE);
		return new PeerInstance("payment", "primary", uri, settings,
				new PhiAccrualFailureDetector(PhiAccrualSettings.DEFAULTS, MonotonicClock.SYSTEM), MonotonicClock.SYSTEM,
				new LocalPauseWatch(Duration.ofMillis(100), Duration.ofMillis(500)));
	}

}
