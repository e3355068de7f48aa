package com.example.storefront;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.example.peers.PlainPeer;
import com.sun.net.httpserver.HttpServer;
import dev.faultline.peer.HeartbeatKind;
import dev.faultline.peer.PeerRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The storefront uploads product images to a media service that is none of its peers:
 * Faultline, watching the peers, must not change how such a request is sent.
 */
@SpringBootTest(properties = "faultline.peers.pricing.heartbeat.mode=passive")
@DirtiesContext
class StorefrontStreamingTests {

	private static final int PART = 64 * 1024;

	private static final PlainPeer pricing = PlainPeer.answeringEverywhere("pricing");

	private static final CountDownLatch firstPartArrived = new CountDownLatch(1);

	private static final ExecutorService mediaThreads = Executors.newCachedThreadPool();

	private static final HttpServer media = startMedia();

	@Autowired
	private RestClient.Builder builder;

	@Autowired
	private PeerRegistry peers;

	@DynamicPropertySource
	static void peers(DynamicPropertyRegistry registry) {
		registry.add("faultline.peers.pricing.instances[0]", pricing::url);
		registry.add("faultline.peers.catalog.instances[0]", pricing::url);
		registry.add("faultline.peers.inventory.instances[0]", pricing::url);
		registry.add("faultline.peers.reviews.instances[0]", pricing::url);
	}

	@AfterAll
	static void stopServers() {
		pricing.close();
		media.stop(0);
		mediaThreads.shutdownNow();
	}

	@Test
	void aRestClientThatCallsNoPeerKeepsStreamingItsBody() {
		RestClient client = this.builder.build();

		String stored = client.post()
			.uri("http://127.0.0.1:" + media.getAddress().getPort() + "/images")
			.body(StorefrontStreamingTests::writeImageInTwoParts)
			.retrieve()
			.body(String.class);

		assertThat(stored).isEqualTo("stored " + (2 * PART) + " bytes");
	}

	@Test
	void theSameBuildersCallsToAPeerAreStillPassiveHeartbeats() {
		long before = this.peers.find("pricing").orElseThrow().getInstances().get(0).heartbeats(HeartbeatKind.PASSIVE);

		this.builder.build().get().uri(pricing.url() + "/prices/42").retrieve().toBodilessEntity();

		assertThat(this.peers.find("pricing").orElseThrow().getInstances().get(0).heartbeats(HeartbeatKind.PASSIVE))
			.isEqualTo(before + 1);
	}

	// The second part is written only once the media service has part of the first: a
	// client that buffers the body sends nothing before the writer is done, so it fails.
	private static void writeImageInTwoParts(OutputStream out) throws IOException {
		byte[] part = new byte[PART];
		Arrays.fill(part, (byte) 'x');
		out.write(part);
		out.flush();
		try {
			if (!firstPartArrived.await(5, TimeUnit.SECONDS)) {
				throw new IOException("The media service got nothing of the image within 5 s: the body is buffered");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException(ex);
		}
		out.write(part);
	}

	private static HttpServer startMedia() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
			server.setExecutor(mediaThreads);
			server.createContext("/", (exchange) -> {
				int length;
				try (InputStream in = exchange.getRequestBody()) {
					byte[] buffer = new byte[8192];
					int first = Math.max(in.read(buffer), 0);
					firstPartArrived.countDown();
					length = first + in.readAllBytes().length;
				}
				byte[] answer = ("stored " + length + " bytes").getBytes(StandardCharsets.UTF_8);
				exchange.sendResponseHeaders(200, answer.length);
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(answer);
				}
			});
			server.start();
			return server;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
