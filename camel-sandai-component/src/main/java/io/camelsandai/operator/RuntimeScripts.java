package io.camelsandai.operator;

import io.camelsandai.transport.LuaScript;

/** The operator runtime's Lua scripts (resources next to this class). */
final class RuntimeScripts {
    static final LuaScript TAKE = LuaScript.fromResource(RuntimeScripts.class, "take.lua");
    static final LuaScript COMPLETE = LuaScript.fromResource(RuntimeScripts.class, "complete.lua");
    static final LuaScript REQUEUE = LuaScript.fromResource(RuntimeScripts.class, "requeue.lua");
    static final LuaScript DEAD_LETTER = LuaScript.fromResource(RuntimeScripts.class, "dead_letter.lua");
    static final LuaScript RELEASE_MUTEX = LuaScript.fromResource(RuntimeScripts.class, "release_mutex.lua");

    private RuntimeScripts() {
    }
}
