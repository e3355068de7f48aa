package dev.faultline.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Picks free TCP ports on 127.0.0.1 for services on host networking, where the test
 * chooses each port and passes it in (there is no port mapping to ask afterwards).
 */
public final class FreePorts {

	private FreePorts() {
	}

	/**
	 * Returns distinct ports that were free a moment ago.
	 * @param count how many
	 * @return the ports
	 */
	public static int[] pick(int count) {
		// All sockets stay open until every port is picked, so no port is handed out twice.
		List<ServerSocket> sockets = new ArrayList<>();
		try {
			InetAddress loopback = InetAddress.getLoopbackAddress();
			for (int i = 0; i < count; i++) {
				sockets.add(new ServerSocket(0, 1, loopback));
			}
			return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not find free ports on 127.0.0.1", ex);
		}
		finally {
			sockets.forEach(FreePorts::close);
		}
	}

	private static void close(ServerSocket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// Nothing to do: the port is free again either way once the process exits.
		}
	}

}
