#pragma once

#include <QAbstractScrollArea>
#include <QList>

namespace mcpui {

class AuthStepModel;

// The flow as a sequence diagram: lanes Client, Browser, Authorization server, Resource server; one arrow
// per HTTP exchange, labelled with method, path and status; a note for a step decided without one. Failed
// exchanges are red, a tampered step's are in the warning colour. Clicking an item selects its step, and so
// do the arrow keys (Up, Down, Home, End) step by step; the step's items are its accessible description.
// Painted by hand, rows scroll vertically (the lane titles stay on top).
class SequenceDiagram : public QAbstractScrollArea
{
    Q_OBJECT
public:
    enum Lane { ClientLane, BrowserLane, AuthorizationServerLane, ResourceServerLane, LaneCount };

    struct Item
    {
        int step = -1;
        int exchange = -1; // -1: a note or the opening of the browser
        Lane from = ClientLane;
        Lane to = ClientLane; // equal to from: a note
        QString label;
        bool failed = false;
        bool tampered = false;
        bool pending = false; // the paused step, not run yet
    };

    explicit SequenceDiagram(AuthStepModel *model, QWidget *parent = nullptr);

    const QList<Item> &items() const { return m_items; }
    QRect itemRect(int item) const; // in viewport coordinates
    void setCurrentStep(int step);
    int currentStep() const { return m_currentStep; }
    static QString laneName(Lane lane);

    QSize sizeHint() const override;

Q_SIGNALS:
    void stepClicked(int step);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    bool viewportEvent(QEvent *event) override;

private:
    void rebuild();
    void updateScrollBars();
    int rowHeight() const;
    int headerHeight() const;
    int laneX(Lane lane) const;
    int itemAt(const QPoint &viewportPos) const;

    AuthStepModel *m_model;
    QList<Item> m_items;
    int m_currentStep = -1;
};

} // namespace mcpui
