#pragma once

#include "review/findings.h"
#include "review/pinning.h"

#include <QString>

namespace mcpui {

// What the reviewer decided, kept across restarts in a folder (by default the user's data folder):
// accepted findings with their reasons (accepted.json) and approved definitions (pins.json).
class ReviewStore
{
public:
    explicit ReviewStore(QString folder = defaultFolder());
    static QString defaultFolder(); // <AppDataLocation>/review

    QString folder() const { return m_folder; }
    // Reads both files; a file not there yet is an empty one. A hostile or broken file gives false with
    // *error naming it, and the store stays empty.
    bool load(QString *error);
    // Writes both files atomically; not after a failed load, so that a broken file (perhaps holding the
    // reviewer's approvals) is never replaced behind their back.
    bool save(QString *error) const;

    mcp::review::Acceptances &acceptances() { return m_accepted; }
    const mcp::review::Acceptances &acceptances() const { return m_accepted; }
    mcp::review::PinStore &pins() { return m_pins; }
    const mcp::review::PinStore &pins() const { return m_pins; }

private:
    QString m_folder;
    QString m_unreadable; // why the last load failed
    mcp::review::Acceptances m_accepted;
    mcp::review::PinStore m_pins;
};

} // namespace mcpui
