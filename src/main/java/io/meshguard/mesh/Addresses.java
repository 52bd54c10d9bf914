package io.meshguard.mesh;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Turns {@code spec.addresses} into the listener bind keys that Istio derives from them. */
public final class Addresses {

    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-fA-F:.]+");

    private Addresses() {
    }

    /**
     * The bind keys of an entry: each host-wide address as itself; all wider CIDRs together as one
     * {@code 0.0.0.0} key carrying their masked forms; and no addresses as the bare wildcard.
     */
    public static List<BindKey> bindKeys(List<String> addresses) {
        if (addresses.isEmpty()) {
            return List.of(BindKey.WILDCARD);
        }
        Set<BindKey> keys = new LinkedHashSet<>();
        Set<String> wideCidrs = new TreeSet<>();
        for (String address : addresses) {
            Parsed parsed = parse(address);
            if (parsed.hostWide()) {
                keys.add(BindKey.ip(parsed.ip()));
            } else {
                wideCidrs.add(parsed.ip() + "/" + parsed.prefix());
            }
        }
        if (!wideCidrs.isEmpty()) {
            keys.add(new BindKey(BindKey.WILDCARD_IP, new ArrayList<>(wideCidrs)));
        }
        return List.copyOf(keys);
    }

    /** An address or CIDR, masked; text that is not an IP stays as written, so equal text still compares equal. */
    static Parsed parse(String address) {
        String text = address.trim();
        int slash = text.indexOf('/');
        String ipText = slash < 0 ? text : text.substring(0, slash);
        byte[] bytes = literal(ipText);
        if (bytes == null) {
            return new Parsed(text.toLowerCase(java.util.Locale.ROOT), -1, true);
        }
        int width = bytes.length * 8;
        int prefix = width;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                return new Parsed(text.toLowerCase(java.util.Locale.ROOT), -1, true);
            }
            if (prefix < 0 || prefix > width) {
                return new Parsed(text.toLowerCase(java.util.Locale.ROOT), -1, true);
            }
        }
        if (prefix == width) {
            return new Parsed(format(bytes), prefix, true);
        }
        return new Parsed(format(mask(bytes, prefix)), prefix, false);
    }

    record Parsed(String ip, int prefix, boolean hostWide) {
    }

    private static byte[] literal(String text) {
        byte[] ipv4 = ipv4(text);
        if (ipv4 != null) {
            return ipv4;
        }
        // Only text that can be nothing but an IPv6 literal reaches InetAddress, so no DNS lookup happens.
        if (text.indexOf(':') >= 0 && IPV6_CHARS.matcher(text).matches()) {
            try {
                return InetAddress.getByName(text).getAddress();
            } catch (UnknownHostException e) {
                return null;
            }
        }
        return null;
    }

    private static byte[] mask(byte[] bytes, int prefix) {
        byte[] masked = bytes.clone();
        for (int bit = prefix; bit < masked.length * 8; bit++) {
            masked[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return masked;
    }

    /** Four decimal octets of one to three digits each, 0-255: what the IPV4 pattern accepted, without regex. */
    private static byte[] ipv4(String text) {
        byte[] bytes = new byte[4];
        int octet = 0;
        int digits = 0;
        int part = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                if (++digits > 3) {
                    return null;
                }
                octet = octet * 10 + (c - '0');
            } else if (c == '.' && digits > 0 && part < 3) {
                if (octet > 255) {
                    return null;
                }
                bytes[part++] = (byte) octet;
                octet = 0;
                digits = 0;
            } else {
                return null;
            }
        }
        if (part != 3 || digits == 0 || octet > 255) {
            return null;
        }
        bytes[3] = (byte) octet;
        return bytes;
    }

    private static String format(byte[] bytes) {
        if (bytes.length == 4) {
            return (bytes[0] & 255) + "." + (bytes[1] & 255) + "." + (bytes[2] & 255) + "." + (bytes[3] & 255);
        }
        try {
            return InetAddress.getByAddress(bytes).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a 4- or 16-byte array is always an address", e);
        }
    }
}
