/* Unit tests of the client's address behind trusted proxies: CIDR ranges of both families, chains of proxies,
 * forged and malformed X-Forwarded-For, and a peer that is not trusted. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include "http/client_ip.h"

static const char *ip(const char *spec, const char *peer, const char *xff)
{
    static char out[64];
    char err[128];
    struct trusted_proxies *t = trusted_proxies_parse(spec, err, sizeof err);
    assert_non_null(t);
    client_ip(t, peer, xff, out, sizeof out);
    trusted_proxies_free(t);
    return out;
}

static void an_untrusted_peer_is_the_client_whatever_it_says(void **state)
{
    assert_string_equal(ip(NULL, "198.51.100.1", "203.0.113.9"), "198.51.100.1");
    assert_string_equal(ip("10.0.0.1", "198.51.100.1", "203.0.113.9"), "198.51.100.1");
    assert_string_equal(ip("10.0.0.0/8", "11.0.0.1", "203.0.113.9"), "11.0.0.1");
}

static void a_trusted_peer_forwards_the_nearest_untrusted_address(void **state)
{
    assert_string_equal(ip("10.0.0.0/8", "10.1.2.3", "203.0.113.9"), "203.0.113.9");
    /* The client wrote the first element itself. */
    assert_string_equal(ip("10.0.0.0/8", "10.1.2.3", "1.2.3.4, 203.0.113.9"), "203.0.113.9");
    /* Two proxies of ours in a row. */
    assert_string_equal(ip("10.0.0.0/8,192.168.1.5", "10.1.2.3", "203.0.113.9,192.168.1.5"), "203.0.113.9");
    assert_string_equal(ip("10.0.0.0/8", "10.1.2.3", " 203.0.113.9 ,10.9.9.9 "), "203.0.113.9");
    /* Every hop ours: the leftmost is the best we know. */
    assert_string_equal(ip("10.0.0.0/8", "10.1.2.3", "10.4.4.4, 10.5.5.5"), "10.4.4.4");
    /* No header: the proxy itself. */
    assert_string_equal(ip("10.0.0.0/8", "10.1.2.3", NULL), "10.1.2.3");
}

static void garbage_stops_the_walk_at_the_last_trusted_hop(void **state)
{
    assert_string_equal(ip("10.0.0.0/8", "10.1.2.3", "unknown"), "10.1.2.3");
    assert_string_equal(ip("10.0.0.0/8", "10.1.2.3", "203.0.113.9:4711"), "10.1.2.3");
    assert_string_equal(ip("10.0.0.0/8", "10.1.2.3", "203.0.113.9, 10.2.2.2, nonsense, 10.3.3.3"), "10.3.3.3");
    assert_string_equal(ip("10.0.0.0/8", "10.1.2.3", ""), "10.1.2.3");
    assert_string_equal(ip("10.0.0.0/8", "10.1.2.3", ",,,"), "10.1.2.3");
}

static void prefixes_and_ipv6(void **state)
{
    assert_string_equal(ip("192.168.0.0/16", "192.168.200.1", "203.0.113.9"), "203.0.113.9");
    assert_string_equal(ip("192.168.0.0/17", "192.168.200.1", "203.0.113.9"), "192.168.200.1");
    assert_string_equal(ip("2001:db8::/32", "2001:db8:1::1", "2001:db8:ffff::1, 2a00::5"), "2a00::5");
    assert_string_equal(ip("::1", "::1", "203.0.113.9"), "203.0.113.9");
    assert_string_equal(ip("0.0.0.0/0", "8.8.8.8", "203.0.113.9"), "203.0.113.9");
    /* An IPv4 range does not cover IPv6 addresses that merely share bytes. */
    assert_string_equal(ip("0.0.0.0/0", "::1", "203.0.113.9"), "::1");
}

static void malformed_lists_are_refused_at_startup(void **state)
{
    char err[128];
    const char *bad[] = { "10.0.0.0/33", "proxy.example.vn", "10.0.0.0/", "10.0.0.0/8x", "::/129", "1.2.3.4/-1", NULL };
    for (int i = 0; bad[i]; i++) {
        err[0] = 0;
        assert_null(trusted_proxies_parse(bad[i], err, sizeof err));
        assert_true(strlen(err) > 0);
    }
    struct trusted_proxies *t = trusted_proxies_parse(" 10.0.0.1 , 10.0.0.2 ", err, sizeof err);
    assert_int_equal(trusted_proxies_count(t), 2);
    trusted_proxies_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_untrusted_peer_is_the_client_whatever_it_says),
        cmocka_unit_test(a_trusted_peer_forwards_the_nearest_untrusted_address),
        cmocka_unit_test(garbage_stops_the_walk_at_the_last_trusted_hop),
        cmocka_unit_test(prefixes_and_ipv6),
        cmocka_unit_test(malformed_lists_are_refused_at_startup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
