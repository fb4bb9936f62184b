/* Vietnamese mobile numbers as people type them (0912 345 678, +84 912-345-678, 84912345678) turned into the one form
 * stored as a learner's login, "+84912345678". Pure: no I/O, no globals, no allocation. */
#ifndef DXDAY_PHONE_H
#define DXDAY_PHONE_H
#include <stdbool.h>

/* True when s is made only of digits, spaces and + . - ( ) and holds at least 9 digits: the login form's way of telling
 * a phone number from an e-mail address. */
bool phone_vn_looks_like(const char *s);

/* The normalised "+84" + 9 digits form of a Vietnamese mobile number (subscriber part starting 3, 5, 7, 8 or 9) into
 * out (13 bytes); false, out untouched, when s is not one. */
bool phone_vn_normalise(const char *s, char out[13]);
#endif
