<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>mcpui::ArgumentCompleter</name>
    <message numerus="yes">
        <source>%1: showing %2 of %n completion(s)</source>
        <translation>
            <numerusform>%1: showing %2 of %n completion</numerusform>
            <numerusform>%1: showing %2 of %n completions</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1: showing the first %n completion(s)</source>
        <translation>
            <numerusform>%1: showing the first %n completion</numerusform>
            <numerusform>%1: showing the first %n completions</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>mcpui::ConnectionDialog</name>
    <message numerus="yes">
        <source>The snippet holds %n server(s): only the first was used.</source>
        <translation>
            <numerusform>The snippet holds %n server: only the first was used.</numerusform>
            <numerusform>The snippet holds %n servers: only the first was used.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>mcpui::InventoryDialog</name>
    <message numerus="yes">
        <source>%n server(s)</source>
        <translation>
            <numerusform>%n server</numerusform>
            <numerusform>%n servers</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n config file(s)</source>
        <translation>
            <numerusform>%n config file</numerusform>
            <numerusform>%n config files</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n could not be read</source>
        <translation>
            <numerusform>%n could not be read</numerusform>
            <numerusform>%n could not be read</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>mcpui::InventoryModel</name>
    <message numerus="yes">
        <source>%n, highest %1</source>
        <translation>
            <numerusform>%n, highest %1</numerusform>
            <numerusform>%n, highest %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>mcpui::ReplayDialog</name>
    <message numerus="yes">
        <source>%n path(s) differ from the recording.</source>
        <translation>
            <numerusform>%n path differs from the recording.</numerusform>
            <numerusform>%n paths differ from the recording.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>mcpui::ReviewPane</name>
    <message numerus="yes">
        <source>Reviewing %n server(s)…</source>
        <translation>
            <numerusform>Reviewing %n server…</numerusform>
            <numerusform>Reviewing %n servers…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n finding(s)</source>
        <translation>
            <numerusform>%n finding</numerusform>
            <numerusform>%n findings</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n server(s)</source>
        <translation>
            <numerusform>%n server</numerusform>
            <numerusform>%n servers</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>mcpui::TokenInspectorWidget</name>
    <message numerus="yes">
        <source>%n check(s) failed</source>
        <translation>
            <numerusform>%n check failed</numerusform>
            <numerusform>%n checks failed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;Opaque token&lt;/b&gt; (%n character(s)) · %1 · %2</source>
        <translation>
            <numerusform>&lt;b&gt;Opaque token&lt;/b&gt; (%n character) · %1 · %2</numerusform>
            <numerusform>&lt;b&gt;Opaque token&lt;/b&gt; (%n characters) · %1 · %2</numerusform>
        </translation>
    </message>
</context>
</TS>
