"""Which SAF-T article group a sold line belongs to: the shop's category as sold, with the code from list 04 that
the product (its own group), else that category (its group), else the default table gives it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.db.models import Category, Product
from kiosk.domain.saft_groups import article_group
from kiosk.services.records.saft.codes import OTHER_GROUP

Group = tuple[str, str]  # category as sold, code from list 04


@dataclass(frozen=True)
class ArticleGroups:
    product_groups: dict[uuid.UUID, str | None]
    category_groups: dict[str, str | None]

    @classmethod
    def read(cls, s: Session) -> ArticleGroups:
        return cls(
            {pid: group for pid, group in s.execute(select(Product.id, Product.saft_group))},
            {name: group for name, group in s.execute(select(Category.name, Category.saft_group))},
        )

    def of(self, product_id: uuid.UUID | None, category: str | None) -> Group:
        name = category or OTHER_GROUP
        own = self.product_groups.get(product_id) if product_id is not None else None
        return name, article_group(own, self.category_groups.get(name), name)
