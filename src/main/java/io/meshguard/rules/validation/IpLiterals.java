package io.meshguard.rules.validation;

/**
 * IP addresses and prefixes read the way istiod reads them (Go's {@code net/netip}: {@code ParseAddr} and
 * {@code ParsePrefix}), not the way {@link java.net.InetAddress} does: IPv4 is exactly four decimal fields without
 * leading zeros; IPv6 may embed IPv4 in its last 32 bits and may carry a zone, but a prefix may not; a prefix length
 * has no sign and no leading zero. Nothing here looks a name up.
 */
final class IpLiterals {

    private IpLiterals() {
    }

    /** Go's {@code netip.ParseAddr(s)} succeeds. */
    static boolean isAddress(String s) {
        return addressBits(s) > 0;
    }

    /** Go's {@code netip.ParsePrefix(s)} succeeds. */
    static boolean isPrefix(String s) {
        int slash = s.lastIndexOf('/');
        if (slash < 0) {
            return false;
        }
        String address = s.substring(0, slash);
        int bits = addressBits(address);
        if (bits < 0 || (bits == 128 && address.indexOf('%') >= 0)) {
            return false;
        }
        String length = s.substring(slash + 1);
        if (length.isEmpty() || length.length() > 3 || (length.length() > 1 && (length.charAt(0) < '1'
                || length.charAt(0) > '9'))) {
            return false;
        }
        for (int i = 0; i < length.length(); i++) {
            if (length.charAt(i) < '0' || length.charAt(i) > '9') {
                return false;
            }
        }
        return Integer.parseInt(length) <= bits;
    }

    /** 32 for an IPv4 address, 128 for IPv6, -1 when {@code s} is neither. */
    private static int addressBits(String s) {
        for (int i = 0; i < s.length(); i++) {
            switch (s.charAt(i)) {
                case '.':
                    return ipv4(s, 0, s.length()) ? 32 : -1;
                case ':':
                    return ipv6(s) ? 128 : -1;
                case '%':
                    return -1;
                default:
                    break;
            }
        }
        return -1;
    }

    /** Four dot-separated decimal fields of 0..255 in {@code s[from, to)}, none with a leading zero. */
    private static boolean ipv4(String s, int from, int to) {
        int fields = 0;
        int value = 0;
        int digits = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                if (digits == 1 && value == 0) {
                    return false;
                }
                value = value * 10 + (c - '0');
                digits++;
                if (value > 255) {
                    return false;
                }
            } else if (c == '.') {
                if (digits == 0 || fields == 3) {
                    return false;
                }
                fields++;
                value = 0;
                digits = 0;
            } else {
                return false;
            }
        }
        return digits > 0 && fields == 3;
    }

    private static boolean ipv6(String in) {
        String s = in;
        int percent = s.indexOf('%');
        if (percent >= 0) {
            if (percent == s.length() - 1) {
                return false;
            }
            s = s.substring(0, percent);
        }
        int ellipsis = -1;
        int i = 0;
        int at = 0;
        int end = s.length();
        if (s.startsWith("::")) {
            ellipsis = 0;
            at = 2;
            if (at == end) {
                return true;
            }
        }
        while (i < 16) {
            int start = at;
            int value = 0;
            while (at < end) {
                int digit = hex(s.charAt(at));
                if (digit < 0) {
                    break;
                }
                value = (value << 4) + digit;
                at++;
                if (at - start > 4) {
                    return false;
                }
            }
            if (at == start) {
                return false;
            }
            if (at < end && s.charAt(at) == '.') {
                if ((ellipsis < 0 && i != 12) || i + 4 > 16) {
                    return false;
                }
                if (!ipv4(s, start, end)) {
                    return false;
                }
                i += 4;
                at = end;
                break;
            }
            i += 2;
            if (at == end) {
                break;
            }
            if (s.charAt(at) != ':' || at + 1 == end) {
                return false;
            }
            at++;
            if (s.charAt(at) == ':') {
                if (ellipsis >= 0) {
                    return false;
                }
                ellipsis = i;
                at++;
                if (at == end) {
                    break;
                }
            }
        }
        if (at != end) {
            return false;
        }
        return i < 16 ? ellipsis >= 0 : ellipsis < 0;
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
}
