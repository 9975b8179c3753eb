#include "reviewstore.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

namespace mcpui {

namespace {

const char kAcceptedFile[] = "accepted.json";
const char kPinsFile[] = "pins.json";

} // namespace

ReviewStore::ReviewStore(QString folder) : m_folder(std::move(folder))
{}

QString ReviewStore::defaultFolder()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/review");
}

bool ReviewStore::load(QString *error)
{
    const QDir dir(m_folder);
    mcp::review::Acceptances accepted;
    mcp::review::PinStore pins;
    const QString acceptedPath = dir.filePath(QLatin1String(kAcceptedFile));
    const QString pinsPath = dir.filePath(QLatin1String(kPinsFile));
    if ((QFileInfo::exists(acceptedPath) &&
         !mcp::review::Acceptances::load(acceptedPath, &accepted, error)) ||
        (QFileInfo::exists(pinsPath) && !mcp::review::PinStore::load(pinsPath, &pins, error))) {
        m_unreadable = *error;
        return false;
    }
    m_unreadable.clear();
    m_accepted = std::move(accepted);
    m_pins = std::move(pins);
    return true;
}

bool ReviewStore::save(QString *error) const
{
    if (!m_unreadable.isEmpty()) {
        *error = QStringLiteral("%1 (not overwritten: fix or remove it)").arg(m_unreadable);
        return false;
    }
    const QDir dir(m_folder);
    if (!QDir().mkpath(m_folder)) {
        *error = QStringLiteral("%1: cannot create the folder").arg(m_folder);
        return false;
    }
    return m_accepted.save(dir.filePath(QLatin1String(kAcceptedFile)), error) &&
           m_pins.save(dir.filePath(QLatin1String(kPinsFile)), error);
}

} // namespace mcpui
