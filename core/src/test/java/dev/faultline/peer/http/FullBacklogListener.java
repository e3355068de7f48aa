package dev.faultline.peer.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * A listening socket on 127.0.0.1 that never accepts, with its accept queue filled, so
 * the kernel drops further connection attempts and they time out: a host that does not
 * answer, without sending traffic anywhere but the loopback.
 */
final class FullBacklogListener implements AutoCloseable {

	private final ServerSocket server;

	private final List<SocketChannel> queued = new ArrayList<>();

	FullBacklogListener() {
		try {
			this.server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
			for (int i = 0; i < 4; i++) {
				SocketChannel channel = SocketChannel.open();
				channel.configureBlocking(false);
				channel.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.server.getLocalPort()));
				this.queued.add(channel);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	URI uri() {
		return URI.create("http://127.0.0.1:" + this.server.getLocalPort());
	}

	@Override
	public void close() throws IOException {
		for (SocketChannel channel : this.queued) {
			channel.close();
		}
		this.server.close();
	}

}
