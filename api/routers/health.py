"""GET /health: is the service up, and what does it hold."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from newsdesk.api.deps import get_desk
from newsdesk.api.errors import STORAGE_ERRORS, error_responses
from newsdesk.api.schemas import HealthOut
from newsdesk.desk import Newsdesk

router = APIRouter(tags=["health"], responses=error_responses(*STORAGE_ERRORS))


@router.get("/health", response_model=HealthOut)
def health(desk: Newsdesk = Depends(get_desk)) -> HealthOut:
    articles, passages = desk.counts()
    return HealthOut(
        status="ok",
        model=desk.embedder.name,
        dimension=desk.embedder.dimension,
        device=getattr(desk.embedder, "device", "cpu"),
        articles=articles,
        passages=passages,
        vectors=desk.vector_count(),
    )
