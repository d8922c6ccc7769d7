package io.stopplane.model.registry;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An activation's {@code IpAddressRange}: a CIDR block or a single address, IPv4 or IPv6. Only literals are parsed,
 * never a host name (a look-up would let a caller make the control plane resolve names of its choosing). An IPv4
 * address written IPv4-mapped ({@code ::ffff:10.0.0.1}) is that IPv4 address, as the JDK reads it.
 *
 * @param network the block's first address (host bits cleared)
 * @param prefix the number of leading bits that must match
 */
public record IpAddressRange(byte[] network, int prefix) {

    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])");
    /** Hex digits, colons and dots (an embedded IPv4 tail) only: no zone id, no name the JDK would look up. */
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    /** The range written as {@code text}, or empty if it is not a CIDR block or an address. */
    public static Optional<IpAddressRange> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        String[] parts = text.trim().split("/", -1);
        if (parts.length > 2) {
            return Optional.empty();
        }
        Optional<byte[]> address = address(parts[0]);
        if (address.isEmpty()) {
            return Optional.empty();
        }
        int bits = address.get().length * 8;
        int prefix = bits;
        if (parts.length == 2) {
            if (!parts[1].matches("[0-9]{1,3}")) {
                return Optional.empty();
            }
            prefix = Integer.parseInt(parts[1]);
            if (prefix > bits) {
                return Optional.empty();
            }
        }
        return Optional.of(new IpAddressRange(mask(address.get(), prefix), prefix));
    }

    /** Whether {@code text} is a valid range. */
    public static boolean isValid(String text) {
        return parse(text).isPresent();
    }

    /** Whether {@code address} (a literal) is inside this range; an unparseable one or of the other family is not. */
    public boolean contains(String address) {
        Optional<byte[]> bytes = address(address);
        return bytes.isPresent() && bytes.get().length == network.length
                && Arrays.equals(mask(bytes.get(), prefix), network);
    }

    /** The bytes of an IPv4 or IPv6 literal. */
    static Optional<byte[]> address(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String s = text.trim();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        boolean v4 = IPV4.matcher(s).matches();
        if (!v4 && !(s.indexOf(':') >= 0 && IPV6.matcher(s).matches())) {
            return Optional.empty();
        }
        try {
            // A literal of these characters only is parsed, never looked up.
            return Optional.of(InetAddress.getByName(s).getAddress());
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static byte[] mask(byte[] address, int prefix) {
        int bits = address.length * 8;
        BigInteger value = new BigInteger(1, address);
        BigInteger hostMask = BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE);
        byte[] raw = value.andNot(hostMask).toByteArray();
        byte[] out = new byte[address.length];
        int copy = Math.min(raw.length, out.length);
        System.arraycopy(raw, raw.length - copy, out, out.length - copy, copy);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpAddressRange r && r.prefix == prefix && Arrays.equals(r.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefix;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
