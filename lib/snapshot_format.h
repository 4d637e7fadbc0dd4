/* The snapshot file format, version 5. docs/snapshot-format.md is the
 * specification; this header is its constants. All integers little-endian.
 *
 *   header (64 bytes) | block ... | footer block | trailer (48 bytes)
 *
 * A block is a 32-byte block header and a raw deflate stream. Record
 * blocks hold records in canonical order; the footer block holds metadata
 * TLVs, the block index, the late key summaries and the key index. Every
 * part is covered by an
 * XXH3-64 checksum, and the trailer fixes the file's size, so any flipped
 * bit or truncation is detected before the content concerned is used.
 * What the diff takes as equal without reading (subtree, times and
 * child-names summaries) is a 16-byte SHA-256 or BLAKE2b digest
 * (lib/hash.h): XXH3 is no defence against data crafted to collide. Version 1 used XXH3 there and
 * is refused: such a snapshot must be shot again, as must one of version 2 (zlib blocks, no key
 * index).
 */
#ifndef REGDIFF_SNAPSHOT_FORMAT_H
#define REGDIFF_SNAPSHOT_FORMAT_H

#define RDS_MAGIC "\x89RDS\r\n\x1a\n"
#define RDS_MAGIC_LEN 8
#define RDS_FORMAT_VERSION 5u
/* Version 3 (no child tables, the older subtree digest) and 4 (BLAKE2b
 * subtree and times digests; version 5 has SHA-256 there) still read and
 * compare; against a snapshot whose digests are of another hash, without
 * their help. */
#define RDS_FORMAT_VERSION_MIN 3u

#define RDS_HEADER_SIZE 64u
/* header: 0 magic[8] | 8 u32 version | 12 u32 header size | 16 u64 flags |
 * 24 reserved[32] | 56 u64 hash of bytes 0..55 */

#define RDS_BLOCK_MAGIC 0x4b4c4252u /* "RBLK" */
#define RDS_BLOCK_HEADER_SIZE 32u
/* block header: 0 u32 magic | 4 u32 kind | 8 u32 compressed size |
 * 12 u32 uncompressed size | 16 u32 record count | 20 u32 reserved |
 * 24 u64 hash of header bytes 0..23 followed by the compressed bytes */
#define RDS_BLOCK_RECORDS 1u
#define RDS_BLOCK_FOOTER 2u
/* Version 4: child tables (see RDS_TLV_CHILDREN), record count = tables. */
#define RDS_BLOCK_TABLES 3u
/* Records are gathered until a block holds this many bytes; one large
 * record makes a block of its own size. */
#define RDS_BLOCK_TARGET (32u * 1024u)
/* Limits that writer and reader share, so that whatever a writer makes
 * reads back and whatever a file claims, a reader's memory stays bounded
 * (docs/snapshot-format.md, "Limits and memory"). A record block holds at
 * most RDS_BLOCK_MAX_UNCOMPRESSED bytes (one value's data is at most
 * RDS_VALUE_DATA_MAX, so its record always fits), the footer at most
 * RDS_FOOTER_MAX. zlib inflates at most about 1032:1, and never makes a
 * stream larger than compressBound() of its input: sizes outside those
 * bounds are refused before anything is allocated for them. */
#define RDS_BLOCK_MAX_UNCOMPRESSED (64u << 20)
#define RDS_VALUE_DATA_MAX (RDS_BLOCK_MAX_UNCOMPRESSED - (1u << 20))
#define RDS_FOOTER_MAX (32u << 20)
#define RDS_ZLIB_MAX_RATIO 1032u

#define RDS_TRAILER_MAGIC "RDSTRAIL"
#define RDS_TRAILER_SIZE 48u
/* trailer: 0 magic[8] | 8 u64 footer block offset | 16 u64 file size |
 * 24 u64 record block count | 32 u64 reserved | 40 u64 hash of 0..39 */

/* Records. */
#define RDS_REC_KEY 'K'
#define RDS_REC_VALUE 'V'
#define RDS_DIGEST_SIZE 16u
#define RDS_KEY_FIXED 80u
/* key: 0 u8 'K' | 1 u8 flags | 2 u16 depth | 4 u16 name units |
 * 6 u16 reserved | 8 i64 last-write time | 16 u32 values | 20 u32 subkeys |
 * 24 u64 subtree end (ordinal of the first record after the subtree) |
 * 32 digest subtree | 48 digest times | 64 digest child names |
 * 80 name (UTF-16LE) */
#define RDS_KEY_END 24u
#define RDS_KEY_DIGESTS 32u
#define RDS_VALUE_FIXED 16u
/* value: 0 u8 'V' | 1 u8 flags | 2 u16 name units | 4 u32 type |
 * 8 u32 data size | 12 u32 declared data size | 16 name | data. No digest
 * of its own: the diff compares value data byte for byte, and the key's
 * subtree digest takes in the data itself. */

/* Key flags. */
#define RDS_KEY_SYNTHETIC 0x01u		 /* a parent of mounts, not registry content */
#define RDS_KEY_MOUNT 0x02u		 /* the root of a source */
#define RDS_KEY_INCOMPLETE 0x04u	 /* something of this key could not be read */
#define RDS_KEY_SUBTREE_INCOMPLETE 0x08u /* ... of this key or below it */
#define RDS_KEY_VALUES_UNREAD 0x10u	 /* some of its values are missing */
#define RDS_KEY_SUBKEYS_UNREAD 0x20u	 /* some of its subkeys are missing */
/* The root of a hive a live shot found loaded (a user's HKU\<SID>): one
 * found on one side only is a hive loaded or unloaded, not a subtree
 * added or deleted. Readers older than it refuse the snapshot (unknown
 * key flags), as they must: they would report every key of the hive. */
#define RDS_KEY_HIVE_ROOT 0x40u
#define RDS_KEY_UNREAD (RDS_KEY_INCOMPLETE | RDS_KEY_VALUES_UNREAD | RDS_KEY_SUBKEYS_UNREAD)
#define RDS_KEY_FLAGS_KNOWN 0x7fu

/* Value flags. */
#define RDS_VALUE_UNREADABLE 0x01u /* data could not be read; size 0 */
#define RDS_VALUE_FLAGS_KNOWN 0x01u

/* Footer TLVs: u16 tag | u32 length | bytes. Unknown tags are skipped. */
#define RDS_TLV_PRODUCER 1u /* UTF-8 */
#define RDS_TLV_TIME 2u	    /* i64 FILETIME */
#define RDS_TLV_COMPUTER 3u /* UTF-8 */
#define RDS_TLV_USER 4u	    /* UTF-8 */
#define RDS_TLV_COUNTS 5u   /* u64 keys | values | value bytes | problems | records */
#define RDS_TLV_SOURCE 6u   /* mount NUL kind NUL location (UTF-8) */
#define RDS_TLV_PROBLEM 7u  /* path NUL what (UTF-8) */
#define RDS_TLV_BLOCK                                                                              \
	8u /* u64 offset | u64 first record | u32 records | u32 compressed | u64 hash */
/* u64 ordinal | digest subtree | digest times | digest names | u64 end | u8 flags */
#define RDS_TLV_LATE 9u
/* The key index: u64 ordinal | the key's record exactly as its block
 * holds it (the late fields zero). One for each key with a late summary,
 * in record order, so that a reader can hand out the key, and a diff pass
 * over its subtree, without inflating its block. */
#define RDS_TLV_KEY 20u
/* Version 4: a block of child tables, u64 offset | u32 compressed size |
 * u32 tables | u64 hash, in file order (they lie between record blocks). */
#define RDS_TLV_TABLE_BLOCK 21u
#define RDS_TLV_TABLE_BLOCK_SIZE 24u
/* Version 4: where the child table of an indexed key lies, u64 key ordinal
 * | u32 table block number | u32 offset in the inflated block | u32
 * children, in record order. The table: the key's values digest, then for
 * each subkey u64 ordinal | subtree digest | u8 flags. It lets a compare
 * pair up and pass over equal children without reading their records; the
 * key's own subtree digest binds it (snapshot_children.c). Only keys whose
 * subtree spans RDS_TABLE_MIN_SPAN blocks or more get one: below that, a
 * table costs more bytes than the blocks it saves inflating. */
#define RDS_TLV_CHILDREN 22u
#define RDS_TLV_CHILDREN_SIZE 20u
#define RDS_CHILD_ENTRY (8u + RDS_DIGEST_SIZE + 1u)
#define RDS_TABLE_MIN_SPAN 3u
/* At most this many children in one table (41 MiB): a key with more gets
 * none, and its children are read. */
#define RDS_CHILDREN_MAX (1u << 20)
/* Version 4's subtree digest of a key with subkeys starts with this u64
 * (no name is this long) and its values digest, not its name and values:
 * so a child table can be checked against it. */
#define RDS_DIGEST_PARENT_MARK UINT64_MAX
#define RDS_TLV_SYSTEM 10u   /* UTF-8: the live system read, e.g. "Windows 10.0.19045 x64" */
#define RDS_TLV_ELEVATED 11u /* u8: 1 if the shot ran elevated, 0 if not (live shots only) */
/* Log replay of source i (written only for dirty hives; tags 12-15 are
 * the log replay's): u32 source index | u8 state (enum regdiff_logs_state,
 * 1-4) | u32 entries | u32 pages | u32 sequence | files NUL reason (UTF-8) */
#define RDS_TLV_LOGS 12u
/* A Windows installation's (tags 26-29): a user's SID NUL user name
 * (UTF-8), one TLV per user; the control set Select\Current names in
 * HKLM\SYSTEM (u32, 1 for ControlSet001); a note on how hives were
 * mounted (UTF-8). */
#define RDS_TLV_USER_SID 26u
#define RDS_TLV_CONTROL_SET 27u
#define RDS_TLV_NOTE 28u
/* A disk image that sources were read from (tags 30-33 are the images'):
 * u64 image size | u32 partition | path NUL format NUL MD5 NUL SHA1 NUL
 * (UTF-8; the hashes in hex, "" when the image stores none). The sources'
 * locations ("IMAGE@N:/path") say which hive came from where. */
#define RDS_TLV_IMAGE 30u
/* A shot exclusion (tags 34-37 are the exclusions'): u64 keys it matched
 * (not shot, nor their subtrees) | u64 of them at, above or below
 * persistence locations | rule NUL origin NUL categories (UTF-8; the
 * categories ASCII, ", " between). */
#define RDS_TLV_EXCLUSION 34u
#define RDS_TLV_EXCLUSION_FIXED 16u
#define RDS_TLV_IMAGE_FIXED 12u
#define RDS_TLV_LOGS_FIXED 17u
#define RDS_TLV_BLOCK_SIZE 32u
#define RDS_TLV_LATE_SIZE (8u + 3u * RDS_DIGEST_SIZE + 8u + 1u)

#define RDS_MAX_DEPTH 512u /* deeper keys are not descended into */
#define RDS_PROBLEMS_KEPT 10000u
/* A kept problem's path and text are cut to these many bytes (at a UTF-8
 * boundary, ending in U+2026), and problems are kept only while their
 * entries take at most RDS_PROBLEM_BYTES_MAX in all: the rest are counted.
 * So they fit in the footer with room to spare. */
#define RDS_PROBLEM_PATH_MAX 16384u
#define RDS_PROBLEM_WHAT_MAX 1024u
#define RDS_PROBLEM_BYTES_MAX (8u << 20)
#define RDS_SOURCES_MAX 4096u
#define RDS_META_MAX 65536u /* bytes of each metadata string and source field */

#endif
