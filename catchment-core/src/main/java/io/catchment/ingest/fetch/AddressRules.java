package io.catchment.ingest.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;

/**
 * Which addresses a user-supplied URL must not reach: everything that is not a public unicast
 * address. Works on the raw bytes, so every spelling of an address (decimal, IPv4-mapped,
 * IPv4-compatible, NAT64, 6to4) gets the same answer. Public because webhook URLs are checked
 * by the same rules, at registration and again at every delivery.
 */
public final class AddressRules {

    private AddressRules() {
    }

    /**
     * Why {@code address} is internal, worded to follow "the address X is ", or empty when it
     * is a public unicast address.
     */
    public static Optional<String> whyInternal(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 4) {
            return ipv4(b);
        }
        return ipv6(b);
    }

    private static Optional<String> ipv4(byte[] b) {
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        if (a0 == 0 && a1 == 0 && b[2] == 0 && b[3] == 0) {
            return Optional.of("the unspecified (any-local) address");
        }
        if (a0 == 0) {
            return Optional.of("in 0.0.0.0/8 (\"this network\")");
        }
        if (a0 == 127) {
            return Optional.of("loopback");
        }
        if (a0 == 10 || (a0 == 172 && (a1 & 0xf0) == 16) || (a0 == 192 && a1 == 168)) {
            return Optional.of("private");
        }
        if (a0 == 169 && a1 == 254) {
            return Optional.of("link-local (this range includes cloud metadata endpoints)");
        }
        if (a0 == 100 && (a1 & 0xc0) == 64) {
            return Optional.of("in the carrier-grade NAT range 100.64.0.0/10");
        }
        if ((a0 & 0xf0) == 224) {
            return Optional.of("multicast");
        }
        if ((a0 & 0xf0) == 240) {
            return Optional.of("reserved (240.0.0.0/4, including the broadcast address)");
        }
        return Optional.empty();
    }

    private static Optional<String> ipv6(byte[] b) {
        boolean first10Zero = allZero(b, 0, 10);
        if (first10Zero && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            return embedded(b, 12, "IPv4-mapped");
        }
        if (first10Zero && b[10] == 0 && b[11] == 0) {
            if (allZero(b, 12, 16)) {
                return Optional.of("the unspecified (any-local) address");
            }
            if (allZero(b, 12, 15) && b[15] == 1) {
                return Optional.of("loopback");
            }
            // ::a.b.c.d, deprecated IPv4-compatible form; no public host needs it.
            return Optional.of("an IPv4-compatible IPv6 address (::/96, deprecated)");
        }
        int w0 = ((b[0] & 0xff) << 8) | (b[1] & 0xff);
        // 64:ff9b::/96, the NAT64 well-known prefix, reaches the embedded IPv4 address.
        if (w0 == 0x0064 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b && allZero(b, 4, 12)) {
            return embedded(b, 12, "NAT64");
        }
        // 2002::/16, 6to4, embeds an IPv4 address in bits 16-47.
        if (w0 == 0x2002) {
            return embedded(b, 2, "6to4");
        }
        if ((b[0] & 0xff) == 0xff) {
            return Optional.of("multicast");
        }
        if ((b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0x80) {
            return Optional.of("link-local");
        }
        if ((b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0xc0) {
            return Optional.of("site-local");
        }
        if ((b[0] & 0xfe) == 0xfc) {
            return Optional.of("private (unique local fc00::/7)");
        }
        return Optional.empty();
    }

    private static Optional<String> embedded(byte[] b, int from, String form) {
        byte[] v4 = Arrays.copyOfRange(b, from, from + 4);
        return ipv4(v4).map(why -> why + " (" + form + " " + text(v4) + ")");
    }

    private static String text(byte[] v4) {
        try {
            return InetAddress.getByAddress(v4).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** The address as it is usually written, without any host name or scope. */
    public static String literal(InetAddress address) {
        String text = address.getHostAddress();
        int scope = text.indexOf('%');
        return scope < 0 ? text : text.substring(0, scope);
    }
}
