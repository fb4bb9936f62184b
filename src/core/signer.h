/* Who signed a Vietnamese administrative document: the signature block at its end ("KT. BỘ TRƯỞNG / THỨ TRƯỞNG /
 * Phạm Ngọc Thưởng"), read so the assistant can answer "ai ký …". Pure: must not touch a database nor guess a name
 * that no office line introduces. */
#ifndef DXDAY_CORE_SIGNER_H
#define DXDAY_CORE_SIGNER_H
#include <stdbool.h>
#include <stddef.h>

/* Writes "Phạm Ngọc Thưởng (KT. Bộ trưởng, Thứ trưởng)" into out when text ends with a signature block: one or more
 * office lines in capitals (KT./TM./TL./Q. or an office such as GIÁM ĐỐC, CHỦ TỊCH) followed by a person's name.
 * False, out empty, when there is none. */
bool doc_signer(const char *text, char *out, size_t n);

/* The offices that sign, folded ("giam doc", "chu tich" …), NULL-ended: what a signature block's office line names
 * (core/heading.c reads them too: an office alone on its line closes a document, it opens no section). */
extern const char *const doc_offices[];

#endif
