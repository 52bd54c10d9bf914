package io.meshguard.mesh.listener;

/**
 * Go's {@code net/netip} as istiod uses it on {@code spec.addresses}: {@code ParseAddr} and {@code ParsePrefix}
 * (strict: no spaces, no leading zeros in IPv4, no zones in prefixes), {@code Prefix.Masked} and
 * {@code Addr.String} (IPv6 compressed as RFC 5952 says). No DNS lookup, no regular expression.
 */
public final class NetIp {

    /** An address (4 or 16 bytes) and a prefix length; {@code bits == bytes.length * 8} for a plain IP. */
    public record Prefix(byte[] bytes, int bits) {

        public boolean isIpv4() {
            return bytes.length == 4;
        }

        public boolean isHostWide() {
            return bits == bytes.length * 8;
        }

        /** {@code Addr.String()} of the address as written (host bits kept). */
        public String addr() {
            return format(bytes);
        }

        /** {@code Prefix.Masked().String()}. */
        public String masked() {
            byte[] masked = bytes.clone();
            for (int bit = bits; bit < masked.length * 8; bit++) {
                masked[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
            }
            return format(masked) + "/" + bits;
        }

        /** True when the address, before masking, is {@code 0.0.0.0} (istiod then ignores it as a CIDR). */
        public boolean isUnspecifiedIpv4() {
            return isIpv4() && bytes[0] == 0 && bytes[1] == 0 && bytes[2] == 0 && bytes[3] == 0;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Prefix p && p.bits == bits && java.util.Arrays.equals(p.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(bytes) * 31 + bits;
        }

        @Override
        public String toString() {
            return addr() + "/" + bits;
        }
    }

    private NetIp() {
    }

    /** {@code netip.ParseAddr}, without zones (a zoned address is read as invalid); null when invalid. */
    public static Prefix parseAddr(String text) {
        if (text == null || text.isEmpty() || text.length() > 45) {
            return null;
        }
        byte[] bytes = text.indexOf(':') >= 0 ? ipv6(text) : ipv4(text);
        return bytes == null ? null : new Prefix(bytes, bytes.length * 8);
    }

    /** {@code netip.ParsePrefix}: address, slash, decimal length without leading zeros; null when invalid. */
    public static Prefix parsePrefix(String text) {
        if (text == null) {
            return null;
        }
        int slash = text.lastIndexOf('/');
        if (slash < 0 || slash == text.length() - 1 || text.length() - slash > 4) {
            return null;
        }
        Prefix addr = parseAddr(text.substring(0, slash));
        if (addr == null) {
            return null;
        }
        String digits = text.substring(slash + 1);
        if (digits.length() > 1 && digits.charAt(0) == '0') {
            return null;
        }
        int bits = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            bits = bits * 10 + (c - '0');
        }
        if (bits > addr.bytes().length * 8) {
            return null;
        }
        return new Prefix(addr.bytes(), bits);
    }

    private static byte[] ipv4(String text) {
        byte[] bytes = new byte[4];
        int part = 0;
        int value = 0;
        int digits = 0;
        for (int i = 0; i <= text.length(); i++) {
            char c = i == text.length() ? '.' : text.charAt(i);
            if (c >= '0' && c <= '9') {
                if (digits == 1 && value == 0) {
                    return null; // leading zero
                }
                value = value * 10 + (c - '0');
                if (++digits > 3 || value > 255) {
                    return null;
                }
            } else if (c == '.') {
                if (digits == 0 || part == 4) {
                    return null;
                }
                bytes[part++] = (byte) value;
                value = 0;
                digits = 0;
            } else {
                return null;
            }
        }
        return part == 4 ? bytes : null;
    }

    private static byte[] ipv6(String text) {
        int[] groups = new int[8];
        int count = 0;
        int ellipsis = -1;
        int i = 0;
        int n = text.length();
        if (text.startsWith("::")) {
            ellipsis = 0;
            i = 2;
            if (n == 2) {
                return new byte[16];
            }
        } else if (text.startsWith(":")) {
            return null;
        }
        while (i < n) {
            int start = i;
            int value = 0;
            while (i < n && hex(text.charAt(i)) >= 0 && i - start < 4) {
                value = value * 16 + hex(text.charAt(i));
                i++;
            }
            if (i == start) {
                return null;
            }
            if (i < n && text.charAt(i) == '.') {
                // an embedded IPv4 tail
                byte[] v4 = ipv4(text.substring(start));
                if (v4 == null || count > 6) {
                    return null;
                }
                groups[count++] = ((v4[0] & 255) << 8) | (v4[1] & 255);
                groups[count++] = ((v4[2] & 255) << 8) | (v4[3] & 255);
                i = n;
                break;
            }
            if (count == 8) {
                return null;
            }
            groups[count++] = value;
            if (i == n) {
                break;
            }
            if (text.charAt(i) != ':') {
                return null;
            }
            i++;
            if (i < n && text.charAt(i) == ':') {
                if (ellipsis >= 0) {
                    return null;
                }
                ellipsis = count;
                i++;
                if (i == n) {
                    break;
                }
            } else if (i == n) {
                return null;
            }
        }
        if (ellipsis < 0 && count != 8) {
            return null;
        }
        if (ellipsis >= 0) {
            if (count == 8) {
                return null;
            }
            int shift = 8 - count;
            for (int g = count - 1; g >= ellipsis; g--) {
                groups[g + shift] = groups[g];
            }
            for (int g = ellipsis; g < ellipsis + shift; g++) {
                groups[g] = 0;
            }
        }
        byte[] bytes = new byte[16];
        for (int g = 0; g < 8; g++) {
            bytes[2 * g] = (byte) (groups[g] >>> 8);
            bytes[2 * g + 1] = (byte) groups[g];
        }
        return bytes;
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /** {@code Addr.String()}: dotted IPv4; IPv6 lower-case with the longest run of two or more zero groups as ::. */
    static String format(byte[] bytes) {
        if (bytes.length == 4) {
            return (bytes[0] & 255) + "." + (bytes[1] & 255) + "." + (bytes[2] & 255) + "." + (bytes[3] & 255);
        }
        int[] groups = new int[8];
        for (int g = 0; g < 8; g++) {
            groups[g] = ((bytes[2 * g] & 255) << 8) | (bytes[2 * g + 1] & 255);
        }
        boolean mapped = groups[0] == 0 && groups[1] == 0 && groups[2] == 0 && groups[3] == 0 && groups[4] == 0
                && groups[5] == 0xffff;
        if (mapped) {
            return "::ffff:" + (bytes[12] & 255) + "." + (bytes[13] & 255) + "." + (bytes[14] & 255) + "."
                    + (bytes[15] & 255);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int g = 0; g < 8; g++) {
            int length = 0;
            while (g + length < 8 && groups[g + length] == 0) {
                length++;
            }
            if (length > bestLength) {
                bestStart = g;
                bestLength = length;
            }
        }
        StringBuilder out = new StringBuilder(39);
        for (int g = 0; g < 8; g++) {
            if (g == bestStart) {
                out.append("::");
                g += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[g]));
        }
        return out.toString();
    }
}
