package dev.netwarden.executable;

/**
 * One version of one file: the same (device, inode) with a different size or modification time is
 * another version (rewritten in place), so it is hashed again. Why not the path: a renamed copy is
 * the same bytes under another name, and a path can point to new bytes after an upgrade.
 */
public record FileIdentity(long device, long inode, long size, long mtimeNanos) {}
