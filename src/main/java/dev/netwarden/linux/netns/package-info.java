/**
 * Running code in another network namespace. A socket belongs to the namespace of the thread that
 * created it, so "open this netlink/packet socket over there" is: a throw-away thread setns()es,
 * creates the socket, and returns it. Owns nothing else; never changes what is inside a namespace.
 */
package dev.netwarden.linux.netns;
